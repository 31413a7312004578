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

/**
 * Creates `folder` and any missing parents, like `mkdir -p`; nothing if it exists. Fails with the file system's
 * error (`ENOTDIR` when a file is in the way, `EACCES`, …), or `ENOENT` naming the parent when a parent that exists
 * does not take new folders (/proc, a dangling symbolic link), where Node's recursive mkdir would spin forever.
 */
export async function makeDirectories(folder: string): Promise<void> {
  const { fsp, path } = nodeModules('makeDirectories');
  const missing: string[] = [];
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    const found = await fsp.stat(current).catch((error: unknown) => {
      if (codeOf(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (found !== undefined) {
      if (!found.isDirectory()) throw inTheWay(current, missing.length === 0);
      break;
    }
    missing.push(current);
    if (path.dirname(current) === current) break;
  }
  for (const current of missing.reverse()) {
    try {
      await fsp.mkdir(current);
    } catch (error) {
      const code = codeOf(error);
      // Made meanwhile by someone else: fine if it is a folder now.
      if (code === 'EEXIST' && (await fsp.stat(current).catch(() => undefined))?.isDirectory()) continue;
      if (code === 'ENOENT' || code === 'EEXIST') throw refused(current, path.dirname(current), code);
      throw error;
    }
  }
}

/** {@link makeDirectories} for synchronous code (build scripts). */
export function makeDirectoriesSync(folder: string): void {
  const { fs, path } = nodeModules('makeDirectoriesSync');
  const missing: string[] = [];
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    const found = fs.statSync(current, { throwIfNoEntry: false });
    if (found !== undefined) {
      if (!found.isDirectory()) throw inTheWay(current, missing.length === 0);
      break;
    }
    missing.push(current);
    if (path.dirname(current) === current) break;
  }
  for (const current of missing.reverse()) {
    try {
      fs.mkdirSync(current);
    } catch (error) {
      const code = codeOf(error);
      if (code === 'EEXIST' && fs.statSync(current, { throwIfNoEntry: false })?.isDirectory()) continue;
      if (code === 'ENOENT' || code === 'EEXIST') throw refused(current, path.dirname(current), code);
      throw error;
    }
  }
}
