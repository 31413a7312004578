import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type DecodedFile, verifyFile } from '../assemble.js';
import type { DatasetInfo, FileRole } from '../datasets.js';
import { MnistDataError, type SearchAttempt } from '../errors.js';
import { streamUrl } from '../transfer.js';
import type { ProgressEvent } from '../types.js';
import { decodeBytesNode } from './read.js';

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Base URLs, tried in order. */
  mirrors: readonly string[];
  /** Directory the verified file is renamed into (created if needed). */
  cacheDir: string;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

/** Joins a mirror base URL and a file name. */
export function mirrorUrl(mirror: string, file: string): string {
  return `${mirror.endsWith('/') ? mirror : `${mirror}/`}${file}`;
}

/**
 * Downloads `<name>.gz` from the first mirror that serves a verified copy: streams it into a temporary file in the
 * cache directory, decompresses and verifies the content hash, and only then renames it to its final name. A failed,
 * corrupt or cancelled download leaves nothing behind.
 *
 * @returns the decoded file and one {@link SearchAttempt} per mirror tried.
 * @throws {@link MnistDataError} `ABORTED` at once if the signal fires; otherwise, when every mirror failed, an error
 * carrying the attempts: `CHECKSUM_MISMATCH` if every mirror served wrong bytes, else `DOWNLOAD_FAILED`.
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
  await mkdir(options.cacheDir, { recursive: true });
  for (const mirror of options.mirrors) {
    const url = mirrorUrl(mirror, name);
    // Unique per process and attempt, so concurrent loaders never write the same temporary file.
    const tempPath = `${finalPath}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
    try {
      const bytes = await fetchToFile(url, tempPath, name, options);
      const file = await decodeBytesNode(info, role, bytes, url);
      verifyFile(info, file);
      await rename(tempPath, finalPath);
      attempts.push({ kind: 'download', location: url, outcome: 'downloaded and verified' });
      return { file: { ...file, displayName: finalPath }, attempts };
    } catch (error) {
      await unlink(tempPath).catch(() => {});
      if (!(error instanceof MnistDataError)) throw error;
      if (error.code === 'ABORTED') throw error;
      errors.push(error);
      // Messages from the transfer start with the URL, which the attempt already names.
      const outcome = error.message.startsWith(`${url}: `) ? error.message.slice(url.length + 2) : error.message;
      attempts.push({ kind: 'download', location: url, outcome, code: error.code });
    }
  }
  const allChecksum = errors.length > 0 && errors.every((e) => e.code === 'CHECKSUM_MISMATCH');
  const last = errors.at(-1);
  throw new MnistDataError(
    allChecksum ? 'CHECKSUM_MISMATCH' : 'DOWNLOAD_FAILED',
    options.mirrors.length === 0
      ? `No mirror to download ${name} from.`
      : `Could not download ${info.title} file ${name} from any mirror.\n${attempts.map((a) => `  - ${a.location}: ${a.outcome}`).join('\n')}`,
    { file: name, attempts, cause: last, expected: last?.expected, actual: last?.actual },
  );
}

/** Streams `url` into `tempPath` while also keeping the bytes in memory (they are decoded right after). */
async function fetchToFile(url: string, tempPath: string, name: string, options: DownloadOptions): Promise<Uint8Array> {
  const handle = await open(tempPath, 'wx');
  let buffer = new Uint8Array(0);
  let used = 0;
  try {
    await streamUrl(
      url,
      { file: name, signal: options.signal, timeoutMs: options.timeoutMs, onProgress: options.onProgress },
      async (chunk, total) => {
        if (used + chunk.byteLength > buffer.length) {
          const grown = new Uint8Array(Math.max(total ?? 0, (used + chunk.byteLength) * 2, 65536));
          grown.set(buffer.subarray(0, used));
          buffer = grown;
        }
        buffer.set(chunk, used);
        used += chunk.byteLength;
        await handle.write(chunk);
      },
    );
    await handle.sync();
  } finally {
    await handle.close();
  }
  return buffer.subarray(0, used);
}
