// The workspace's one way to write a file that others read: whole or not at all. The bytes go to a temporary file
// beside the target (same folder, so the same file system), are flushed to disk, and the temporary is renamed over
// the target, which is one atomic step: a reader sees the old file or the whole new one, and a crash or a full disk
// leaves the old one. On failure the temporary is removed and the target is as it was. Node's modules are fetched at
// call time (node-builtins.ts), so browser bundles of the packages that share this never see a Node built-in.
import { makeDirectories, makeDirectoriesSync } from './make-directories.js';
import { nodeModules } from './node-builtins.js';

/** Options of {@link writeFileAtomically}, {@link writeFileAtomicallySync} and {@link openAtomicFile}. */
export interface AtomicWriteOptions {
  /**
   * The temporary file's path, for callers whose clean-up of killed runs recognises their own names (the download
   * cache's `.part` files). It must be another file in the target's folder. Default: `.<name>.<pid>.<8 hex>.tmp`
   * beside the target.
   */
  temporary?: string;
}

/** A file being written under a temporary name beside its target; the target changes only on `commit()`. */
export interface AtomicFile {
  /** The target (absolute). */
  readonly path: string;
  /** Where the bytes go until `commit()` (absolute). */
  readonly temporary: string;
  /** Appends bytes (or UTF-8 text) to the temporary file. */
  write(data: string | Uint8Array): Promise<void>;
  /** Flushes the temporary file to disk (fsync), closes it and renames it over the target. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file, leaving the target as it was. Never throws; harmless after `commit()`. */
  abort(): Promise<void>;
}

function randomHex(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(4));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The absolute target and temporary paths: `options.temporary`, checked to be beside the target, or a fresh name. */
function pathsFor(
  operation: string,
  path: string,
  options: AtomicWriteOptions,
): { target: string; temporary: string } & ReturnType<typeof nodeModules> {
  const node = nodeModules(operation);
  const target = node.path.resolve(path);
  const folder = node.path.dirname(target);
  if (options.temporary === undefined) {
    const name = `.${node.path.basename(target)}.${node.pid}.${randomHex()}.tmp`;
    return { ...node, target, temporary: node.path.join(folder, name) };
  }
  const temporary = node.path.resolve(options.temporary);
  if (node.path.dirname(temporary) !== folder || temporary === target) {
    throw new Error(
      `${operation}: the temporary file ${temporary} must be another file in the folder of ${target}, so that ` +
        'the rename is one step on one file system.',
    );
  }
  return { ...node, target, temporary };
}

const bytesOf = (data: string | Uint8Array): Uint8Array =>
  typeof data === 'string' ? new TextEncoder().encode(data) : data;

/**
 * Starts writing `path` atomically, for bytes that arrive in pieces (a download): creates the folder if needed and
 * a new temporary file beside the target (refused with `EEXIST` if one of that name exists). Write, then `commit()`;
 * on any failure, `abort()`.
 */
export async function openAtomicFile(path: string, options: AtomicWriteOptions = {}): Promise<AtomicFile> {
  const { fsp, path: nodePath, target, temporary } = pathsFor('openAtomicFile', path, options);
  await makeDirectories(nodePath.dirname(target));
  const handle = await fsp.open(temporary, 'wx');
  let isOpen = true;
  const close = async () => {
    if (!isOpen) return;
    isOpen = false;
    await handle.close();
  };
  return {
    path: target,
    temporary,
    async write(data) {
      const bytes = bytesOf(data);
      for (let written = 0; written < bytes.byteLength; ) {
        written += (await handle.write(bytes, written, bytes.byteLength - written)).bytesWritten;
      }
    },
    async commit() {
      await handle.sync();
      await close();
      await fsp.rename(temporary, target);
    },
    async abort() {
      await close().catch(() => {});
      await fsp.rm(temporary, { force: true }).catch(() => {});
    },
  };
}

/**
 * Writes `data` to `path` so that readers never see half of it: into a temporary file beside it, flushed to disk
 * (fsync), then renamed over it. Creates the folder if needed. When any step fails the temporary file is removed,
 * `path` is as it was, and Node's error is thrown (e.g. `EISDIR` when a folder is in the way). Node only: elsewhere
 * it throws.
 */
export async function writeFileAtomically(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const file = await openAtomicFile(path, options);
  try {
    await file.write(data);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/**
 * {@link writeFileAtomically} for synchronous code (build scripts): the same temporary file, flush, rename and
 * clean-up, without giving up the thread.
 */
export function writeFileAtomicallySync(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const { fs, path: nodePath, target, temporary } = pathsFor('writeFileAtomicallySync', path, options);
  makeDirectoriesSync(nodePath.dirname(target));
  const fd = fs.openSync(temporary, 'wx');
  let closed = false;
  try {
    const bytes = bytesOf(data);
    for (let written = 0; written < bytes.byteLength; ) {
      written += fs.writeSync(fd, bytes, written, bytes.byteLength - written);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    closed = true;
    fs.renameSync(temporary, target);
  } catch (error) {
    if (!closed) {
      try {
        fs.closeSync(fd);
      } catch {
        // The write's own error is the one to report.
      }
    }
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
