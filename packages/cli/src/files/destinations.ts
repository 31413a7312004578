import { constants } from 'node:fs';
import { mkdtemp, open, readdir, realpath, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { flagError } from '../errors';

/**
 * What a `--save` folder holds: nothing yet (`new`, `empty`), an earlier mnist save (`mnist`, with a stamp of its
 * model.json that changes when another save replaces it), or someone else's files (`foreign`, with what they are).
 */
export type SaveFolder =
  | { readonly kind: 'new' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'mnist'; readonly stamp: string }
  | { readonly kind: 'foreign'; readonly holds: string };

/** The most of a model.json read to recognise an mnist save (as `@mnist/models` reads at most for one). */
const MAX_MODEL_JSON_BYTES = 16 * 1024 * 1024;

/**
 * What the folder `target` holds (see {@link SaveFolder}). An mnist save is recognised by its model.json: a regular
 * file whose `userDefinedMetadata.mnist` is an object, as `saveModel` writes it.
 */
export async function saveFolderState(target: string): Promise<SaveFolder> {
  const entries = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (entries === undefined) return { kind: 'new' };
  if (entries.length === 0) return { kind: 'empty' };
  if (!entries.includes('model.json')) {
    return {
      kind: 'foreign',
      holds: `${entries.length === 1 ? 'a file' : `${entries.length} files`} and no model.json`,
    };
  }
  const handle = await open(join(target, 'model.json'), constants.O_RDONLY | constants.O_NONBLOCK).catch(
    () => undefined,
  );
  if (handle === undefined) return { kind: 'foreign', holds: 'a model.json that cannot be read' };
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MAX_MODEL_JSON_BYTES) {
      return { kind: 'foreign', holds: 'a model.json that is not a model file' };
    }
    let metadata: unknown;
    try {
      const json = JSON.parse(await handle.readFile('utf8')) as { userDefinedMetadata?: { mnist?: unknown } };
      metadata = json?.userDefinedMetadata?.mnist;
    } catch {
      return { kind: 'foreign', holds: 'a model.json that is not JSON' };
    }
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      return { kind: 'foreign', holds: 'a model.json that mnist did not save (it has no mnist metadata)' };
    }
    return { kind: 'mnist', stamp: `${info.dev}:${info.ino}:${info.mtimeMs}:${info.size}` };
  } finally {
    await handle.close();
  }
}

/**
 * Checks, before any work starts, that `--save DIR` can hold a model directory: DIR can be created (its nearest
 * existing ancestor is a writable directory), or is a writable directory that is empty or holds an earlier mnist
 * save. A folder of someone else's files (their own model.json and weights.bin, a home folder, `/`) is refused:
 * saving there would replace their model.json or leave a model among their files.
 * @param flag the flag and value as the user typed them, for the message (e.g. `--save ./models/mlp`)
 * @returns what the folder holds, for {@link saveFolderChange} to compare with at the end of training
 * @throws CliError (usage, exit code 2) saying what is in the way
 */
export async function checkDirectoryDestination(dir: string, flag: string): Promise<SaveFolder> {
  const target = resolve(dir);
  const { path, isDirectory } = await nearestExisting(target, flag);
  if (!isDirectory) {
    throw flagError(
      path === target
        ? `${flag}: ${target} is a file; a model is saved as a directory (model.json + weights.bin). Choose a directory path.`
        : `${flag}: ${path} is a file, so no directory can be created under it. Choose another path.`,
    );
  }
  const folder = await saveFolderState(target).catch((error: unknown) => {
    throw flagError(`${flag}: cannot check ${target} (${describeCode(error)})`, error);
  });
  if (folder.kind === 'foreign') {
    throw flagError(
      `${flag}: ${target} already holds ${folder.holds}; a model is saved into a new or empty folder, or over ` +
        `an earlier mnist save, never among other files. Choose a new folder${target === sep ? '' : `, e.g. ${join(target, 'mnist-model')}`}.`,
    );
  }
  await probeWritable(path, flag, path === target ? 'write in' : `create ${target} in`);
  return folder;
}

/**
 * How the `--save` folder changed since {@link checkDirectoryDestination} looked at it, when saving now would
 * overwrite what another run (or someone) put there during training; undefined when saving may go ahead (a model
 * removed meanwhile may be saved again).
 */
export async function saveFolderChange(target: string, before: SaveFolder): Promise<string | undefined> {
  const now = await saveFolderState(target).catch(() => undefined);
  let holds: string;
  if (now === undefined || now.kind === 'new' || now.kind === 'empty') return undefined;
  if (now.kind === 'mnist') {
    if (before.kind === 'mnist' && now.stamp === before.stamp) return undefined;
    holds = 'a model saved there by another run (another mnist train --save to the same folder?)';
  } else {
    holds = now.holds;
  }
  return `${target} changed during training: it now holds ${holds}; this model was not written over it.`;
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
