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
