// Universal decoding (browsers and Node): DecompressionStream for gzip, WebCrypto for SHA-256. No node: imports.
import { assembleSplits, type DecodedFile, decodeFile } from './assemble.js';
import { type DatasetName, datasetInfo, FILE_ROLES, type FileRole } from './datasets.js';
import { MnistDataError } from './errors.js';
import { gzipDeclaredSize, isGzip } from './gzip.js';
import { sha256HexWeb } from './sha256.js';
import type { MnistSplit } from './split.js';

/** Decompresses gzip bytes with the platform's `DecompressionStream`. */
export async function gunzipWeb(bytes: Uint8Array, name = 'file'): Promise<Uint8Array> {
  try {
    const inflater = new DecompressionStream('gzip');
    const writer = inflater.writable.getWriter();
    const written = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
    // If reading fails first, this promise rejects too: mark it handled here, the reader's error is the one reported.
    written.catch(() => {});
    // Collect into one buffer sized from the gzip trailer, growing only if the trailer lied.
    let out = new Uint8Array(gzipDeclaredSize(bytes) ?? bytes.length * 4);
    let used = 0;
    const reader = inflater.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (used + value.length > out.length) {
        const grown = new Uint8Array(Math.max(out.length * 2, used + value.length));
        grown.set(out.subarray(0, used));
        out = grown;
      }
      out.set(value, used);
      used += value.length;
    }
    await written;
    return used === out.length ? out : out.subarray(0, used);
  } catch (cause) {
    throw new MnistDataError(
      'BAD_GZIP',
      `${name} looks like gzip but cannot be decompressed (it may be truncated or damaged): ${String(cause)}. Replace it with a fresh copy.`,
      { file: name, cause },
    );
  }
}

/** Uncompresses (if gzip) and hashes one file, then checks its structure. */
export async function decodeFileWeb(
  dataset: DatasetName,
  role: FileRole,
  bytes: Uint8Array,
  displayName: string,
): Promise<DecodedFile> {
  const raw = isGzip(bytes) ? await gunzipWeb(bytes, displayName) : bytes;
  return decodeFile(datasetInfo(dataset), role, raw, await sha256HexWeb(raw), displayName);
}

/**
 * Builds verified train/test splits from the four files' bytes (gzipped or not), wherever they came from (a file
 * input, IndexedDB, a bundle asset...). Works in browsers and Node.
 *
 * @throws {@link MnistDataError} on any structural problem or hash mismatch.
 */
export async function decodeMnistFiles(
  files: Readonly<Record<FileRole, Uint8Array>>,
  options: { dataset?: DatasetName } = {},
): Promise<{ train: MnistSplit; test: MnistSplit }> {
  const dataset = options.dataset ?? 'mnist';
  const info = datasetInfo(dataset);
  const decoded = {} as Record<FileRole, DecodedFile>;
  for (const role of FILE_ROLES) {
    decoded[role] = await decodeFileWeb(dataset, role, files[role], info.files[role]);
  }
  return assembleSplits(info, decoded);
}
