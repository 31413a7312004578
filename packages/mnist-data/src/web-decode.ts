// Universal decoding (browsers and Node): DecompressionStream for gzip, WebCrypto for SHA-256. No node: imports.
import { assembleSplits, type DecodedFile, decodeFile } from './assemble.js';
import { type DatasetName, datasetInfo, FILE_ROLES, type FileRole } from './datasets.js';
import { MnistDataError } from './errors.js';
import { isGzip } from './gzip.js';
import { sha256HexWeb } from './sha256.js';
import type { MnistSplit } from './split.js';

/** Decompresses gzip bytes with the platform's `DecompressionStream`. */
export async function gunzipWeb(bytes: Uint8Array, name = 'file'): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
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
