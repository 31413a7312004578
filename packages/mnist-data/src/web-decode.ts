// Universal decoding (browsers and Node): DecompressionStream for gzip, WebCrypto for SHA-256. No node: imports.
import { assembleSplits, type DecodedFile, decodeFile } from './assemble.js';
import {
  contentBytes,
  type DatasetName,
  datasetInfo,
  type FileRole,
  resolveSplits,
  rolesOf,
  type SplitFileRole,
  type SplitName,
} from './datasets.js';
import { MnistDataError } from './errors.js';
import { DEFAULT_MAX_INFLATED_BYTES, inflateBufferSize, isGzip } from './gzip.js';
import { sha256HexWeb } from './sha256.js';
import type { MnistSplit } from './split.js';

/**
 * Decompresses gzip bytes with the platform's `DecompressionStream`, producing at most `maxBytes` bytes.
 *
 * @throws {@link MnistDataError} `TOO_LARGE` past `maxBytes`, `BAD_GZIP` if the stream is damaged or truncated.
 */
export async function gunzipWeb(
  bytes: Uint8Array,
  name = 'file',
  maxBytes = DEFAULT_MAX_INFLATED_BYTES,
): Promise<Uint8Array> {
  const inflater = new DecompressionStream('gzip');
  const reader = inflater.readable.getReader();
  try {
    const writer = inflater.writable.getWriter();
    const written = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
    // If reading fails first, this promise rejects too: mark it handled here, the reader's error is the one reported.
    written.catch(() => {});
    // Collect into one buffer sized from the gzip trailer (within bounds), growing only if the trailer lied.
    let out = new Uint8Array(inflateBufferSize(bytes, maxBytes));
    let used = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (used + value.length > maxBytes) {
        throw new MnistDataError(
          'TOO_LARGE',
          `${name} inflates to more than ${maxBytes} bytes, more than the file it should be. Replace it with a fresh copy.`,
          { file: name },
        );
      }
      if (used + value.length > out.length) {
        const grown = new Uint8Array(Math.min(Math.max(out.length * 2, used + value.length), maxBytes));
        grown.set(out.subarray(0, used));
        out = grown;
      }
      out.set(value, used);
      used += value.length;
    }
    await written;
    return used === out.length ? out : out.subarray(0, used);
  } catch (cause) {
    // Stop inflating at once (a bomb would otherwise keep the stream busy).
    reader.cancel().catch(() => {});
    if (cause instanceof MnistDataError) throw cause;
    throw new MnistDataError(
      'BAD_GZIP',
      `${name} looks like gzip but cannot be decompressed (it may be truncated or damaged): ${String(cause)}. Replace it with a fresh copy.`,
      { file: name, cause },
    );
  }
}

/** Uncompresses (if gzip, never past the content's known size) and hashes one file, then checks its structure. */
export async function decodeFileWeb(
  dataset: DatasetName,
  role: FileRole,
  bytes: Uint8Array,
  displayName: string,
): Promise<DecodedFile> {
  const info = datasetInfo(dataset);
  const raw = isGzip(bytes) ? await gunzipWeb(bytes, displayName, contentBytes(info, role)) : bytes;
  return decodeFile(info, role, raw, await sha256HexWeb(raw), displayName);
}

/**
 * Builds verified splits from the files' bytes (gzipped or not), wherever they came from (a file input, IndexedDB,
 * a bundle asset...): both splits from the four files by default, or only the ones in `options.splits` from their
 * two files each. Works in browsers and Node.
 *
 * @throws {@link MnistDataError} on any structural problem or hash mismatch; `BAD_INPUT` if a needed file is missing.
 */
export async function decodeMnistFiles<S extends SplitName = SplitName>(
  files: Readonly<Record<SplitFileRole<S>, Uint8Array>>,
  options: { dataset?: DatasetName; splits?: readonly S[] } = {},
): Promise<Record<S, MnistSplit>> {
  const dataset = options.dataset ?? 'mnist';
  const info = datasetInfo(dataset);
  const splits = resolveSplits(options.splits);
  const decoded: Partial<Record<FileRole, DecodedFile>> = {};
  for (const role of rolesOf(splits)) {
    const bytes = (files as Partial<Record<FileRole, Uint8Array>>)[role];
    if (!(bytes instanceof Uint8Array)) {
      throw new MnistDataError(
        'BAD_INPUT',
        `decodeMnistFiles needs the bytes of ${info.files[role]}(.gz) as ${role}.`,
      );
    }
    decoded[role] = await decodeFileWeb(dataset, role, bytes, info.files[role]);
  }
  return assembleSplits(info, decoded, splits);
}
