// Loading a data set's files from a base URL: the browser's way, also usable in Node. No node: imports.
import { assembleSplits, type DecodedFile, verifyFile } from './assemble.js';
import {
  contentBytes,
  type DatasetInfo,
  datasetInfo,
  type FileRole,
  maxFileBytes,
  resolveSplits,
  rolesOf,
  type SplitName,
} from './datasets.js';
import { MnistDataError } from './errors.js';
import { defaultDeadlineMs, fetchBytes } from './transfer.js';
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
export type FileDecoder = (
  info: DatasetInfo,
  role: FileRole,
  bytes: Uint8Array,
  displayName: string,
) => Promise<DecodedFile>;

const webDecoder: FileDecoder = (info, role, bytes, displayName) =>
  decodeFileWeb(info.name, role, bytes, displayName);

/** Options of {@link loadFromUrl}: {@link LoadOptions} with `baseUrl` required. */
export type UrlLoadOptions<S extends SplitName = SplitName> = LoadOptions<S> & { baseUrl: string };

/**
 * Fetches the data set's files from `options.baseUrl` (all four, or the two of each split in `options.splits`),
 * decompresses and verifies them, one after the other (a bad file stops the load before the next is fetched).
 * Each transfer stops at the most bytes a genuine copy can take (`TOO_LARGE`), at `timeoutMs` without data and at
 * its `deadlineMs`.
 *
 * @example
 * ```ts
 * const { test } = await loadFromUrl({ baseUrl: 'data/mnist/', splits: ['test'] }); // only the two test files
 * ```
 *
 * @param decode - how to inflate and hash; defaults to the web platform's `DecompressionStream` and WebCrypto
 * (Node passes its faster zlib and OpenSSL).
 * @throws {@link MnistDataError} `DOWNLOAD_FAILED`, `TOO_LARGE`, `ABORTED`, `BAD_INPUT` (bad `splits`), or a
 * decoding/verification code.
 */
export async function loadFromUrl<S extends SplitName = SplitName>(
  options: UrlLoadOptions<S>,
  decode: FileDecoder = webDecoder,
): Promise<MnistData<S>> {
  const dataset = options.dataset ?? 'mnist';
  const info = datasetInfo(dataset);
  const splits = resolveSplits(options.splits);
  const roles = rolesOf(splits);
  const compressed = options.compressed !== false;
  const decoded: Partial<Record<FileRole, DecodedFile>> = {};
  for (const role of roles) {
    const file = `${info.files[role]}${compressed ? '.gz' : ''}`;
    const url = resolveFileUrl(options.baseUrl, file);
    let bytes: Uint8Array;
    try {
      bytes = await fetchBytes(url, {
        file,
        maxBytes: maxFileBytes(info, role),
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        deadlineMs:
          options.deadlineMs ?? defaultDeadlineMs(compressed ? info.gzBytes[role] : contentBytes(info, role)),
        onProgress: options.onProgress,
      });
    } catch (error) {
      if (error instanceof MnistDataError && error.code === 'DOWNLOAD_FAILED') {
        const names = roles.map((r) => `${info.files[r]}${compressed ? '.gz' : ''}`).join(', ');
        throw new MnistDataError(
          'DOWNLOAD_FAILED',
          `Could not fetch ${info.title} file ${file} (${error.message}). Check that ${options.baseUrl} serves the ` +
            `${info.title} files (${names}).`,
          {
            file,
            cause: error,
            attempts: [{ kind: 'url', location: url, outcome: error.message, code: error.code }],
          },
        );
      }
      throw error;
    }
    const decodedFile = await decode(info, role, bytes, url);
    verifyFile(info, decodedFile);
    decoded[role] = decodedFile;
  }
  return {
    ...assembleSplits(info, decoded, splits),
    dataset,
    source: { kind: 'url', location: options.baseUrl },
    classNames: info.classNames,
    attempts: [],
  } as MnistData<S>;
}
