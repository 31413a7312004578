// Loading the four files from a base URL: the browser's way, also usable in Node. No node: imports.
import { assembleSplits, type DecodedFile, verifyFile } from './assemble.js';
import { type DatasetInfo, datasetInfo, FILE_ROLES, type FileRole } from './datasets.js';
import { MnistDataError } from './errors.js';
import { fetchBytes } from './transfer.js';
import type { LoadOptions, MnistData } from './types.js';
import { decodeFileWeb } from './web-decode.js';

/** Joins a base URL (absolute, or relative to the page when there is one) and a file name. */
export function resolveFileUrl(baseUrl: string, file: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(file, page ? new URL(base, page) : new URL(base)).href;
  } catch {
    // No page to resolve against (e.g. Node with a relative base): use it as given.
    return `${base}${file}`;
  }
}

/** Turns one fetched file into a decoded file (inflate if gzip, hash, parse). */
export type FileDecoder = (info: DatasetInfo, role: FileRole, bytes: Uint8Array, displayName: string) => Promise<DecodedFile>;

const webDecoder: FileDecoder = (info, role, bytes, displayName) => decodeFileWeb(info.name, role, bytes, displayName);

/**
 * Fetches the data set's four files from `options.baseUrl`, decompresses and verifies them, one after the other
 * (a bad file stops the load before the next is fetched).
 *
 * @param decode - how to inflate and hash; defaults to the web platform's `DecompressionStream` and WebCrypto
 * (Node passes its faster zlib and OpenSSL).
 * @throws {@link MnistDataError} `DOWNLOAD_FAILED`, `ABORTED`, or a decoding/verification code.
 */
export async function loadFromUrl(
  options: LoadOptions & { baseUrl: string },
  decode: FileDecoder = webDecoder,
): Promise<MnistData> {
  const dataset = options.dataset ?? 'mnist';
  const info = datasetInfo(dataset);
  const decoded = {} as Record<FileRole, DecodedFile>;
  for (const role of FILE_ROLES) {
    const file = `${info.files[role]}${options.compressed === false ? '' : '.gz'}`;
    const url = resolveFileUrl(options.baseUrl, file);
    let bytes: Uint8Array;
    try {
      bytes = await fetchBytes(url, {
        file,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        onProgress: options.onProgress,
      });
    } catch (error) {
      if (error instanceof MnistDataError && error.code === 'DOWNLOAD_FAILED') {
        throw new MnistDataError(
          'DOWNLOAD_FAILED',
          `Could not fetch ${info.title} file ${file} (${error.message}). Check that ${options.baseUrl} serves the four ` +
            `${info.title} files (${FILE_ROLES.map((r) => `${info.files[r]}.gz`).join(', ')}).`,
          { file, cause: error, attempts: [{ kind: 'url', location: url, outcome: error.message, code: error.code }] },
        );
      }
      throw error;
    }
    const decodedFile = await decode(info, role, bytes, url);
    verifyFile(info, decodedFile);
    decoded[role] = decodedFile;
  }
  const { train, test } = assembleSplits(info, decoded);
  return { dataset, train, test, source: { kind: 'url', location: options.baseUrl }, classNames: info.classNames };
}
