// SHA-256 for every platform. Native first: WebCrypto (browsers in secure contexts, Node) or node:crypto (the Node
// entry's own path, see node/read.ts). WebCrypto's `crypto.subtle` exists only in secure contexts (https or
// localhost), and data must be verified on plain-http pages too: there the audited, dependency-free @noble/hashes
// does it. Hand-rolled cryptography is the classic thing not to keep, so this package has none of its own.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** SHA-256 of `bytes` as lowercase hex, in plain JavaScript (@noble/hashes; prefer a native hash when available). */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/**
 * SHA-256 as lowercase hex using WebCrypto when it is available (browsers in secure contexts, Node), else
 * {@link sha256Hex}.
 */
export async function sha256HexWeb(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle)
    return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
  return sha256Hex(bytes);
}
