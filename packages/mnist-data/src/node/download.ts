import { join } from 'node:path';
import { type DecodedFile, verifyFile } from '../assemble.js';
import { type DatasetInfo, type FileRole, maxFileBytes } from '../datasets.js';
import { MnistDataError, type SearchAttempt } from '../errors.js';
import { defaultDeadlineMs, fetchBytes } from '../transfer.js';
import type { ProgressEvent } from '../types.js';
import { type AtomicFile, openAtomicFile } from '../atomic-write.js';
import { makeDirectories } from '../make-directories.js';
import { partialPath } from './partial.js';
import { decodeBytesNode } from './read.js';

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Base URLs, tried in order. */
  mirrors: readonly string[];
  /** Directory the verified file is renamed into (created if needed). */
  cacheDir: string;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  deadlineMs?: number | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

/** Joins a mirror base URL and a file name. */
export function mirrorUrl(mirror: string, file: string): string {
  return `${mirror.endsWith('/') ? mirror : `${mirror}/`}${file}`;
}

/** A file-system failure in the cache, as a `CACHE_UNWRITABLE` error naming the place and what to do. */
export function cacheUnwritable(cacheDir: string, action: string, cause: unknown): MnistDataError {
  const code = (cause as { code?: string }).code;
  const why =
    code === 'ENOTDIR' || code === 'EEXIST'
      ? 'a file is in the way of a folder'
      : code === 'EISDIR' || code === 'ENOTEMPTY'
        ? 'a folder is in the way of a file'
        : code === 'ENOENT'
          ? 'no folder can be made there (a special file system such as /proc)'
          : code === 'ENOSPC'
            ? 'the disk is full'
            : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
              ? 'no permission to write there'
              : 'a file-system error';
  return new MnistDataError(
    'CACHE_UNWRITABLE',
    `Cannot ${action} in the cache folder ${cacheDir}: ${why} (${code ?? String(cause)}). ` +
      'Fix or remove what is in the way, or point the cache elsewhere (the cacheDir option or MNIST_CACHE_DIR) at a ' +
      'folder you can write; or put the files in a folder yourself and pass it as dir or MNIST_DATA_DIR.',
    { file: cacheDir, cause },
  );
}

/**
 * Downloads `<name>.gz` from the first mirror that serves a verified copy: streams it into a temporary `.part` file
 * in the cache directory (never more bytes than a genuine copy can take, within the per-file deadline), decompresses
 * and verifies the content hash, and only then flushes it to disk and renames it to its final name. A failed, corrupt
 * or cancelled download leaves nothing behind; one killed outright leaves a `.part` that the next run removes (see
 * `removeStaleParts`).
 *
 * @returns the decoded file and one {@link SearchAttempt} per mirror tried.
 * @throws {@link MnistDataError} `ABORTED` at once if the signal fires; `CACHE_UNWRITABLE` at once if the cache cannot
 * be written; otherwise, when every mirror failed, an error carrying the attempts, with the code they all failed with
 * (e.g. `CHECKSUM_MISMATCH` if every mirror served wrong bytes, `TOO_LARGE`), else `DOWNLOAD_FAILED`.
 */
export async function downloadFile(
  info: DatasetInfo,
  role: FileRole,
  options: DownloadOptions,
): Promise<{ file: DecodedFile; attempts: SearchAttempt[] }> {
  const name = `${info.files[role]}.gz`;
  const finalPath = join(options.cacheDir, name);
  const attempts: SearchAttempt[] = [];
  const errors: MnistDataError[] = [];
  try {
    await makeDirectories(options.cacheDir);
  } catch (cause) {
    throw cacheUnwritable(options.cacheDir, 'create a folder', cause);
  }
  for (const mirror of options.mirrors) {
    const url = mirrorUrl(mirror, name);
    // Written whole or not at all (the workspace's atomic write), under a `.part` name the clean-up of killed runs
    // recognises; renamed to its final name only once verified.
    const part = await openAtomicFile(finalPath, { temporary: partialPath(finalPath) }).catch((cause) => {
      throw cacheUnwritable(options.cacheDir, `create ${name}`, cause);
    });
    try {
      const bytes = await fetchToFile(url, part, name, options, maxFileBytes(info, role), info.gzBytes[role]);
      const file = await decodeBytesNode(info, role, bytes, url);
      verifyFile(info, file);
      await part.commit().catch((cause) => {
        throw cacheUnwritable(options.cacheDir, `save ${name}`, cause);
      });
      attempts.push({ kind: 'download', location: url, outcome: 'downloaded and verified' });
      return { file: { ...file, displayName: finalPath }, attempts };
    } catch (error) {
      await part.abort();
      if (!(error instanceof MnistDataError)) throw error;
      if (error.code === 'ABORTED' || error.code === 'CACHE_UNWRITABLE') throw error;
      errors.push(error);
      // Messages from the transfer start with the URL, which the attempt already names.
      const outcome = error.message.startsWith(`${url}: `)
        ? error.message.slice(url.length + 2)
        : error.message;
      attempts.push({ kind: 'download', location: url, outcome, code: error.code });
    }
  }
  // Every mirror failing the same way (e.g. all serving wrong bytes) keeps that code; mixed failures are a download
  // failure.
  const codes = new Set(errors.map((e) => e.code));
  const last = errors.at(-1);
  throw new MnistDataError(
    codes.size === 1 && last !== undefined ? last.code : 'DOWNLOAD_FAILED',
    options.mirrors.length === 0
      ? `No mirror to download ${name} from.`
      : `Could not download ${info.title} file ${name} from any mirror.\n${attempts.map((a) => `  - ${a.location}: ${a.outcome}`).join('\n')}`,
    { file: name, attempts, cause: last, expected: last?.expected, actual: last?.actual },
  );
}

/** Streams `url` into the `.part` file while also keeping the bytes in memory (they are decoded right after). */
async function fetchToFile(
  url: string,
  part: AtomicFile,
  name: string,
  options: DownloadOptions,
  maxBytes: number,
  expectedBytes: number,
): Promise<Uint8Array> {
  return fetchBytes(
    url,
    {
      file: name,
      maxBytes,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      deadlineMs: options.deadlineMs ?? defaultDeadlineMs(expectedBytes),
      onProgress: options.onProgress,
    },
    async (chunk) => {
      await part.write(chunk).catch((cause) => {
        throw cacheUnwritable(options.cacheDir, `write ${name}`, cause);
      });
    },
  );
}
