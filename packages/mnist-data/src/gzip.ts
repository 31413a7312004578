/** True if `bytes` start with the gzip magic number (0x1f 0x8b). IDX files never do (they start with 0x00 0x00). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The uncompressed size a gzip stream declares in its trailer (ISIZE, modulo 2^32), or undefined if too short.
 * Only a hint (a multi-member stream or a damaged file can lie); used to size buffers up front.
 */
export function gzipDeclaredSize(bytes: Uint8Array): number | undefined {
  if (bytes.length < 18) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(bytes.length - 4, true);
}

/** Deflate's largest possible expansion ratio (about 1032:1): no genuine stream inflates to more. */
const MAX_DEFLATE_RATIO = 1032;

/** The inflated-size cap used when the caller knows no better one (the largest file here is 47 MB). */
export const DEFAULT_MAX_INFLATED_BYTES = 256 * 1024 * 1024;

/**
 * How many bytes to allocate up front for inflating `bytes`: the size its trailer declares, but never more than
 * `maxBytes` nor more than deflate can produce from this many bytes (a lying trailer must not allocate gigabytes).
 */
export function inflateBufferSize(bytes: Uint8Array, maxBytes: number): number {
  const declared = gzipDeclaredSize(bytes) ?? bytes.length * 4;
  return Math.max(0, Math.min(declared, bytes.length * MAX_DEFLATE_RATIO, maxBytes));
}
