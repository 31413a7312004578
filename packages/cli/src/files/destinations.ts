import { mkdtemp, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
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
