// `mkdir -p` that always ends. Node's own `mkdir(path, { recursive: true })` never returns (100% CPU, sync and async)
// when a parent exists but refuses children with ENOENT, as /proc does or a dangling symbolic link: it reads ENOENT as
// "the parent is missing", creates the parent (EEXIST: fine) and tries the child again, forever. Here each missing
// folder is created once, from the outermost down, and an ENOENT whose parent exists is final.
import { nodeModules } from './node-builtins.js';

/**
 * The error for a folder that cannot be created although its parent is there: the parent refuses new folders
 * (ENOENT from /proc), or the name is taken by something that is not a folder and does not resolve (EEXIST).
 */
function refused(folder: string, parent: string, code: 'ENOENT' | 'EEXIST'): Error {
  const why =
    code === 'EEXIST'
      ? `${folder} is a symbolic link to nothing`
      : `${parent} does not take new folders (a special file system such as /proc)`;
  return Object.assign(new Error(`Cannot create the folder ${folder}: ${why}`), { code, path: folder });
}

/** A file where a folder should be: `EEXIST` for the folder itself, `ENOTDIR` for a parent, as mkdir says. */
function inTheWay(file: string, isTheFolder: boolean): Error {
  return Object.assign(new Error(`${file} is a file, not a folder`), {
    code: isTheFolder ? 'EEXIST' : 'ENOTDIR',
    path: file,
  });
}

const codeOf = (error: unknown): string | undefined => (error as { code?: string } | null)?.code;

/** A stat's answer, undefined when nothing is there. */
type Found = { isDirectory(): boolean } | undefined;

/** `fs.promises.stat`'s ENOENT as undefined, any other failure as it is. */
function missingAsUndefined(error: unknown): undefined {
  if (codeOf(error) === 'ENOENT') return undefined;
  throw error;
}

/**
 * One step of the walk up from the folder: true when `current` is a folder (stop), false when it is missing (added to
 * `missing`, go on); a file there is an error.
 */
function reached(current: string, found: Found, missing: string[]): boolean {
  if (found === undefined) {
    missing.push(current);
    return false;
  }
  if (!found.isDirectory()) throw inTheWay(current, missing.length === 0);
  return true;
}

/** After `mkdir(current)` failed: returns when it is a folder now (made meanwhile by someone else), else throws why. */
function afterFailedMkdir(error: unknown, current: string, parent: string, isFolderNow: boolean): void {
  const code = codeOf(error);
  if (code === 'EEXIST' && isFolderNow) return;
  if (code === 'ENOENT' || code === 'EEXIST') throw refused(current, parent, code);
  throw error;
}

/**
 * Creates `folder` and any missing parents, like `mkdir -p`; nothing if it exists. Fails with the file system's
 * error (`ENOTDIR` or `EEXIST` when a file is in the way, `EACCES`, …): `ENOENT` naming the parent when a parent that
 * exists does not take new folders (/proc), `EEXIST` for a dangling symbolic link, where Node's recursive mkdir would
 * spin forever.
 */
export async function makeDirectories(folder: string): Promise<void> {
  const { fsp, path } = nodeModules('makeDirectories');
  const missing: string[] = [];
  let current = path.resolve(folder);
  while (!reached(current, await fsp.stat(current).catch(missingAsUndefined), missing)) {
    if (path.dirname(current) === current) break;
    current = path.dirname(current);
  }
  for (const dir of missing.reverse()) {
    await fsp.mkdir(dir).catch(async (error: unknown) => {
      const now = await fsp.stat(dir).catch(() => undefined);
      afterFailedMkdir(error, dir, path.dirname(dir), now?.isDirectory() === true);
    });
  }
}

/** {@link makeDirectories} for synchronous code (build scripts). */
export function makeDirectoriesSync(folder: string): void {
  const { fs, path } = nodeModules('makeDirectoriesSync');
  const missing: string[] = [];
  let current = path.resolve(folder);
  while (!reached(current, fs.statSync(current, { throwIfNoEntry: false }), missing)) {
    if (path.dirname(current) === current) break;
    current = path.dirname(current);
  }
  for (const dir of missing.reverse()) {
    try {
      fs.mkdirSync(dir);
    } catch (error) {
      const now = fs.statSync(dir, { throwIfNoEntry: false });
      afterFailedMkdir(error, dir, path.dirname(dir), now?.isDirectory() === true);
    }
  }
}
