import { mkdtemp, realpath, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { flagError } from '../errors';

/**
 * Checks, before any work starts, that `--save DIR` can hold a model directory: DIR is a writable
 * directory, or can be created (its nearest existing ancestor is a writable directory).
 * @param flag the flag and value as the user typed them, for the message (e.g. `--save ./models/mlp`)
 * @throws CliError (usage, exit code 2) saying what is in the way
 */
export async function checkDirectoryDestination(dir: string, flag: string): Promise<void> {
  const target = resolve(dir);
  const { path, isDirectory } = await nearestExisting(target, flag);
  if (!isDirectory) {
    throw flagError(
      path === target
        ? `${flag}: ${target} is a file; a model is saved as a directory (model.json + weights.bin). Choose a directory path.`
        : `${flag}: ${path} is a file, so no directory can be created under it. Choose another path.`,
    );
  }
  await probeWritable(path, flag, path === target ? 'write in' : `create ${target} in`);
}

/**
 * Checks, before any work starts, that `--report FILE` (or `--output FILE`) can be written: FILE is not a
 * directory or a device, and its folder is a writable directory or can be created.
 * @param example a file name to suggest when FILE is a directory
 * @throws CliError (usage, exit code 2) saying what is in the way
 */
export async function checkFileDestination(
  file: string,
  flag: string,
  example = 'report.html',
): Promise<void> {
  const target = resolve(file);
  const existing = await stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw flagError(`${flag}: cannot check ${target} (${describeCode(error)})`, error);
  });
  if (existing?.isDirectory()) {
    throw flagError(`${flag}: ${target} is a directory; give a file name, e.g. ${join(target, example)}.`);
  }
  if (existing !== undefined && !existing.isFile()) {
    throw flagError(`${flag}: ${target} is not a regular file (a device, FIFO or socket); give a file path.`);
  }
  const folder = dirname(target);
  const { path, isDirectory } = await nearestExisting(folder, flag);
  if (!isDirectory) {
    throw flagError(
      `${flag}: ${path} is a file, so ${target} cannot be written under it. Choose another path.`,
    );
  }
  await probeWritable(path, flag, `write ${target} in`);
}

/**
 * Checks, before any work starts, that a file the run writes (`--report FILE`) is neither a model it saves nor
 * inside one: written there, it would replace the model's `model.json` or weights (the model would not load) or
 * leave a stray file in the model's folder. Paths are compared after resolving symbolic links.
 * @param models each model destination: a directory, or a `.keras` file
 * @throws CliError (usage, exit code 2) naming both flags
 */
export async function checkOutputsApart(
  file: string,
  fileFlag: string,
  models: Iterable<string>,
  modelFlag: string,
): Promise<void> {
  const target = await canonicalPath(file);
  for (const model of models) {
    const place = await canonicalPath(model);
    if (target === place || target.startsWith(place.endsWith(sep) ? place : place + sep)) {
      throw flagError(
        `${fileFlag}: ${target} is ${target === place ? '' : 'inside '}the model ${modelFlag} writes (${place}), so ` +
          `one would overwrite the other. Write it outside the model, e.g. --report ${join(dirname(place), 'report.html')}.`,
      );
    }
  }
}

/** The absolute path with every symbolic link in its existing part resolved (the rest as written). */
async function canonicalPath(path: string): Promise<string> {
  let current = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await realpath(current), ...rest);
    } catch {
      if (dirname(current) === current) return resolve(path);
      rest.unshift(basename(current));
      current = dirname(current);
    }
  }
}

/** The path itself or its nearest ancestor that exists, and whether it is a directory. */
async function nearestExisting(path: string, flag: string): Promise<{ path: string; isDirectory: boolean }> {
  let current = path;
  for (;;) {
    try {
      const info = await stat(current);
      return { path: current, isDirectory: info.isDirectory() };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(current) === current) {
        throw flagError(`${flag}: cannot check ${current} (${describeCode(error)})`, error);
      }
      current = dirname(current);
    }
  }
}

/**
 * Creates and removes an empty directory in `folder`: the only check that answers for permissions, ACLs,
 * read-only mounts and special file systems alike (as root, permission bits alone say nothing).
 */
async function probeWritable(folder: string, flag: string, what: string): Promise<void> {
  try {
    const probe = await mkdtemp(join(folder, '.mnist-write-check-'));
    await rmdir(probe);
  } catch (error) {
    throw flagError(
      `${flag}: cannot ${what} ${folder} (${describeCode(error)}). Choose a writable place.`,
      error,
    );
  }
}

/** "EACCES: permission denied" and the like, without the path the message repeats. */
export function describeCode(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const reason = (message ?? String(error)).replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
  return code === undefined ? reason : `${code}: ${reason}`;
}
