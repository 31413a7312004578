import { makeDirectories, writeFileAtomically } from '@mnist/data';
import { MnistModelError } from '../errors.js';
import {
  MODEL_JSON,
  type ModelFiles,
  type ModelJson,
  parseModelJson,
  WEIGHTS_BIN,
  weightPaths,
} from './artifacts.js';
import { planShards, sizeMismatch } from './confine.js';
import { MAX_KERAS_FILE_BYTES, MAX_MODEL_JSON_BYTES } from './limits.js';

type Fs = typeof import('node:fs/promises');
type FsSync = typeof import('node:fs');
type Path = typeof import('node:path');

/**
 * Node's `fs/promises` and `path`, fetched at call time through `process.getBuiltinModule` (Node ≥ 20.16)
 * instead of an import, so browser bundles of this package never see a Node built-in.
 */
function nodeModules(operation: string): { fs: Fs; fsSync: FsSync; path: Path } {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  if (getBuiltin === undefined) {
    throw new MnistModelError(
      'UNSUPPORTED',
      `${operation} reads or writes a directory, which needs Node.js ≥ 20.19. In a browser, load from a URL or ` +
        'from memory ({ modelJson, weights }), and use modelToFiles() to get the files of a model.',
    );
  }
  return {
    fs: getBuiltin('node:fs/promises') as Fs,
    fsSync: getBuiltin('node:fs') as FsSync,
    path: getBuiltin('node:path') as Path,
  };
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

/**
 * Reads `model.json` and its weight shards from a directory (or from the path of a `model.json` file).
 * Missing files are `NOT_FOUND` errors naming the path. The manifest is untrusted: every shard must be a
 * regular file inside the model's directory (symbolic links are followed only if they stay inside), and no more
 * bytes are read than the manifest declares (see `confine.ts`). FIFOs, devices and directories are refused
 * without reading from them.
 */
export async function readModelDirectory(
  location: string,
): Promise<{ files: ModelFiles; modelJsonPath: string; weightsPath: string }> {
  const { fs, path } = nodeModules('loadModel(path)');
  const modelJsonPath = location.endsWith('.json')
    ? path.resolve(location)
    : path.resolve(location, MODEL_JSON);
  const directory = path.dirname(modelJsonPath);
  let text: string;
  try {
    const bytes = await readRegularFile(fs, modelJsonPath, MAX_MODEL_JSON_BYTES);
    text = new TextDecoder().decode(bytes);
  } catch (error) {
    if (error instanceof MnistModelError) throw error;
    if (error instanceof TooLarge) {
      throw new MnistModelError(
        'CORRUPT_FILE',
        `${modelJsonPath} is ${error.size} bytes, more than the ${MAX_MODEL_JSON_BYTES} read for a ${MODEL_JSON}; ` +
          'it is not a model.json.',
        { file: modelJsonPath },
      );
    }
    const missing = errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR';
    throw new MnistModelError(
      missing ? 'NOT_FOUND' : 'CORRUPT_FILE',
      missing
        ? `No ${MODEL_JSON} at ${modelJsonPath}. Pass the directory saveModel() wrote (it holds ${MODEL_JSON} and ` +
            `${WEIGHTS_BIN}) or the path of a ${MODEL_JSON} file.`
        : `Cannot read ${modelJsonPath}: ${(error as Error).message}`,
      { file: modelJsonPath, cause: error },
    );
  }
  const modelJson: ModelJson = parseModelJson(text, modelJsonPath);
  const plan = planShards(modelJson, modelJsonPath);
  // The real directory, so that a symbolic link inside it cannot lead outside.
  const realDirectory = await fs.realpath(directory);
  const shardPaths = plan.shards.map((segments) => path.join(directory, ...segments));
  const weightsName = shardPaths.length === 1 ? (shardPaths[0] as string) : `the weights of ${modelJsonPath}`;
  const buffers: Uint8Array[] = [];
  let remaining = plan.totalBytes;
  for (const shard of shardPaths) {
    let real: string;
    try {
      real = await fs.realpath(shard);
    } catch (error) {
      throw new MnistModelError(
        'NOT_FOUND',
        `${modelJsonPath} lists the weights file ${shard}, which cannot be read (${errorCode(error) ?? 'error'}). ` +
          `Copy ${MODEL_JSON} together with its weights file(s), or save the model again.`,
        { file: shard, cause: error },
      );
    }
    const inside = path.relative(realDirectory, real);
    if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
      throw new MnistModelError(
        'CORRUPT_FILE',
        `${modelJsonPath} lists the weights file ${shard}, a link that leads outside the model directory; ` +
          'refusing to read it. Copy the real weights file into the directory.',
        { file: shard },
      );
    }
    const bytes = await readRegularFile(fs, real, remaining).catch((error: unknown) => {
      if (error instanceof TooLarge) {
        throw sizeMismatch(modelJsonPath, weightsName, 'more bytes', plan.totalBytes);
      }
      if (error instanceof MnistModelError) throw error;
      throw new MnistModelError(
        'NOT_FOUND',
        `${modelJsonPath} lists the weights file ${shard}, which cannot be read (${errorCode(error) ?? 'error'}). ` +
          `Copy ${MODEL_JSON} together with its weights file(s), or save the model again.`,
        { file: shard, cause: error },
      );
    });
    remaining -= bytes.byteLength;
    buffers.push(bytes);
  }
  if (remaining !== 0) {
    throw sizeMismatch(modelJsonPath, weightsName, `${plan.totalBytes - remaining} bytes`, plan.totalBytes);
  }
  return {
    files: { modelJson, weights: concatenate(buffers) },
    modelJsonPath,
    weightsPath: weightsName,
  };
}

function concatenate(buffers: Uint8Array[]): Uint8Array {
  if (buffers.length === 1) return buffers[0] as Uint8Array;
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const buffer of buffers) {
    out.set(buffer, offset);
    offset += buffer.byteLength;
  }
  return out;
}

/** A file bigger than what may be read of it; nothing of it was read. */
class TooLarge extends Error {
  constructor(readonly size: number) {
    super(`file of ${size} bytes is over the limit`);
  }
}

/**
 * Reads a regular file of at most `limit` bytes. Opened non-blocking, so a FIFO cannot hang the open; checked
 * with fstat on the open handle (no race between check and read); never reads past `limit`, whatever the
 * file does meanwhile.
 */
async function readRegularFile(fs: Fs, file: string, limit: number): Promise<Uint8Array> {
  const { constants } = nodeModules('loadModel(path)').fsSync;
  const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new MnistModelError(
        'CORRUPT_FILE',
        `${file} is not a regular file (it is a directory, device, FIFO or socket); refusing to read it. ` +
          'A model is a model.json and its weights files.',
        { file },
      );
    }
    if (stats.size > limit) throw new TooLarge(stats.size);
    const bytes = new Uint8Array(stats.size);
    let filled = 0;
    while (filled < bytes.byteLength) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.byteLength - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === bytes.byteLength ? bytes : bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** Our weights file names: `weights.bin`, or `weights-<8 hex>.bin` when saving over a model that uses that. */
const OUR_WEIGHTS = /^weights(-[0-9a-f]{8})?\.bin$/;
/** Temporary names of a save in progress: `.<name>.tmp-<pid>-<8 hex>`. */
const TEMPORARY = /^\.(.+)\.tmp-(\d+)-[0-9a-f]{8}$/;
/** A temporary older than this is stale even if its process id has been reused since. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

function randomHex(): string {
  const bytes = new Uint8Array(4);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function temporaryName(name: string): string {
  return `.${name}.tmp-${process.pid}-${randomHex()}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

/**
 * Removes what killed saves left in `directory`: temporaries of ours (by name pattern) whose process is gone or
 * that are older than a day. Never anything else, and never a live save's files.
 */
async function removeStaleTemporaries(fs: Fs, path: Path, directory: string, owner?: string): Promise<void> {
  const entries = await fs.readdir(directory).catch(() => [] as string[]);
  for (const entry of entries) {
    const match = TEMPORARY.exec(entry);
    if (match === null || (owner !== undefined && match[1] !== owner)) continue;
    const pid = Number(match[2]);
    const full = path.join(directory, entry);
    const stats = await fs.lstat(full).catch(() => undefined);
    if (stats === undefined) continue;
    if (pid === process.pid) continue;
    if (isAlive(pid) && Date.now() - stats.mtimeMs < STALE_AFTER_MS) continue;
    await fs.rm(full, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * A save killed between renaming its weights into place and committing its model.json leaves a weights file of
 * ours that no model.json names. The save lock ({@link lockSave}) keeps every other save out of the directory, so
 * every such file is left over and is removed, whatever its age.
 */
async function removeOrphanWeights(fs: Fs, path: Path, directory: string, current: string): Promise<void> {
  const entries = await fs.readdir(directory).catch(() => [] as string[]);
  for (const entry of entries) {
    if (entry === current || !OUR_WEIGHTS.test(entry)) continue;
    const full = path.join(directory, entry);
    const stats = await fs.lstat(full).catch(() => undefined);
    if (stats?.isFile()) await fs.rm(full, { force: true });
  }
}

/** A save lock older than this is stale even if its process id has been reused since (a save takes seconds). */
const LOCK_STALE_AFTER_MS = 10 * 60 * 1000;

/**
 * Takes the lock of saves to `target`: the file `.<name>.save-lock` beside it, created exclusively and holding the
 * saving process's id. A lock whose process is gone (a killed save), or older than ten minutes, is taken over.
 * @returns a function that releases the lock
 * @throws MnistModelError (`WRITE_FAILED`) when another save to `target` is in progress
 */
async function lockSave(fs: Fs, path: Path, target: string): Promise<() => Promise<void>> {
  const lock = path.join(path.dirname(target), `.${path.basename(target)}.save-lock`);
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
      return () => fs.rm(lock, { force: true }).catch(() => {});
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await fs.readFile(lock, 'utf8').catch(() => ''), 10);
    const stats = await fs.lstat(lock).catch(() => undefined);
    const live =
      Number.isSafeInteger(owner) &&
      owner > 0 &&
      isAlive(owner) &&
      stats !== undefined &&
      Date.now() - stats.mtimeMs < LOCK_STALE_AFTER_MS;
    if (live || attempt > 0) {
      throw new MnistModelError(
        'WRITE_FAILED',
        `Another save to ${target} is in progress (process ${Number.isSafeInteger(owner) ? owner : 'unknown'}` +
          `${owner === process.pid ? ', this one' : ''}); this save wrote nothing there. Wait for it to end, or ` +
          'save to another path.',
        { file: target },
      );
    }
    await fs.rm(lock, { force: true });
  }
}

/** The error of a save stopped through its signal before its commit point: nothing of it is left. */
function saveStopped(target: string): MnistModelError {
  return new MnistModelError(
    'ABORTED',
    `Saving the model to ${target} was stopped before it completed (the AbortSignal fired): nothing was written ` +
      'there, and a model already there is unchanged.',
    { file: target },
  );
}

/** The weight file names the model.json in `directory` lists, if it is ours to replace (best effort). */
async function previousWeights(fs: Fs, path: Path, directory: string): Promise<string[]> {
  try {
    const json = parseModelJson(await fs.readFile(path.join(directory, MODEL_JSON), 'utf8'), MODEL_JSON);
    return weightPaths(json).filter((name) => typeof name === 'string' && OUR_WEIGHTS.test(name));
  } catch {
    return [];
  }
}

/**
 * Writes `model.json` and its weights into `directory` so that at every instant the directory holds either the
 * complete old model or the complete new one, and no half-written file:
 * - a new directory is written in full under a temporary name beside it and renamed into place (one step);
 * - into an existing directory, the weights are written under a name the old `model.json` does not use
 *   (`weights.bin`, or `weights-<hex>.bin` if the old model uses `weights.bin`), then a new `model.json` pointing
 *   at them replaces the old one in one rename: that rename is the commit point. The old model's weights files are
 *   removed afterwards; other files in the directory are left alone.
 * One save at a time per directory: a second one, from this process or another, is refused (`WRITE_FAILED`) while
 * the first holds the lock ({@link lockSave}). Temporaries left by killed saves (dead process, or older than a
 * day), and weights files of ours no model.json names, are cleaned on the next save. When `signal` fires before
 * the commit point, the save stops (`ABORTED`) and leaves nothing. Files and directories get the usual permissions
 * (the umask's), not 0700.
 * Not `@mnist/data`'s `writeFileAtomically`, which replaces one file: a model is two files that must change
 * together, so the one atomic step is the folder's rename (a new model) or model.json's (an existing folder).
 */
export async function writeModelDirectory(
  directory: string,
  files: { modelJson: ModelJson; weights: ArrayBuffer },
  signal?: AbortSignal,
): Promise<{ modelJsonPath: string; weightsPath: string }> {
  const { fs, path } = nodeModules('saveModel(model, dir)');
  const target = path.resolve(directory);
  const parent = path.dirname(target);
  const name = path.basename(target);
  const cleanup: string[] = [];
  let weightsName = WEIGHTS_BIN;
  let unlock: (() => Promise<void>) | undefined;
  /** Before each step up to the commit point: a fired signal stops the save there. */
  const go = (): void => {
    if (signal?.aborted) throw saveStopped(target);
  };
  try {
    go();
    await makeDirectories(parent);
    unlock = await lockSave(fs, path, target);
    await removeStaleTemporaries(fs, path, parent, name);
    const existing = await fs.stat(target).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (existing === undefined) {
      const temporary = path.join(parent, temporaryName(name));
      cleanup.push(temporary);
      // mkdir, not mkdtemp: the directory that is renamed into place keeps the mode it was made with.
      await fs.mkdir(temporary);
      await fs.writeFile(path.join(temporary, WEIGHTS_BIN), new Uint8Array(files.weights));
      await fs.writeFile(
        path.join(temporary, MODEL_JSON),
        JSON.stringify(withWeightsPath(files.modelJson, WEIGHTS_BIN)),
      );
      go();
      await fs.rename(temporary, target);
      cleanup.length = 0;
    } else if (!existing.isDirectory()) {
      throw new MnistModelError(
        'WRITE_FAILED',
        `Cannot save the model to ${target}: it is a file, not a directory. Choose a directory path.`,
        { file: target },
      );
    } else {
      await removeStaleTemporaries(fs, path, target);
      const previous = await previousWeights(fs, path, target);
      weightsName = previous.includes(WEIGHTS_BIN) ? `weights-${randomHex()}.bin` : WEIGHTS_BIN;
      const weightsTemporary = path.join(target, temporaryName(weightsName));
      const jsonTemporary = path.join(target, temporaryName(MODEL_JSON));
      cleanup.push(weightsTemporary, jsonTemporary);
      await fs.writeFile(weightsTemporary, new Uint8Array(files.weights));
      await fs.writeFile(jsonTemporary, JSON.stringify(withWeightsPath(files.modelJson, weightsName)));
      go();
      // Not yet referenced by the live model.json: replacing a file of that name changes nothing visible.
      await fs.rename(weightsTemporary, path.join(target, weightsName));
      cleanup.splice(0, 1, path.join(target, weightsName));
      go();
      await fs.rename(jsonTemporary, path.join(target, MODEL_JSON));
      cleanup.length = 0;
      for (const old of previous) {
        if (old !== weightsName) await fs.rm(path.join(target, old), { force: true }).catch(() => {});
      }
      await removeOrphanWeights(fs, path, target, weightsName);
    }
  } catch (error) {
    for (const leftover of cleanup) await fs.rm(leftover, { recursive: true, force: true }).catch(() => {});
    if (error instanceof MnistModelError) throw error;
    throw new MnistModelError(
      'WRITE_FAILED',
      `Could not save the model to ${target}: ${(error as Error).message}. No half-written file was left; check ` +
        'that the directory is writable and the disk has space.',
      { file: target, cause: error },
    );
  } finally {
    await unlock?.();
  }
  return { modelJsonPath: path.join(target, MODEL_JSON), weightsPath: path.join(target, weightsName) };
}

/** The manifest as one group in one file (how the weights bytes are written), named `weightsName`. */
function withWeightsPath(modelJson: ModelJson, weightsName: string): ModelJson {
  const weights = modelJson.weightsManifest.flatMap((group) => group.weights);
  return { ...modelJson, weightsManifest: [{ paths: [weightsName], weights }] };
}

/**
 * Reads a `.keras` file (a regular file of at most {@link MAX_KERAS_FILE_BYTES}; FIFOs, devices and directories are
 * refused without reading from them). Its content is checked by the .keras reader.
 */
export async function readKerasFile(location: string): Promise<{ bytes: Uint8Array; path: string }> {
  const { fs, path } = nodeModules('loadModel(path)');
  const file = path.resolve(location);
  try {
    return { bytes: await readRegularFile(fs, file, MAX_KERAS_FILE_BYTES), path: file };
  } catch (error) {
    if (error instanceof MnistModelError) throw error;
    if (error instanceof TooLarge) {
      throw new MnistModelError(
        'CORRUPT_FILE',
        `${file} is ${error.size} bytes, more than the ${MAX_KERAS_FILE_BYTES} read for a .keras file; an MNIST ` +
          'model is a few MB.',
        { file },
      );
    }
    const missing = errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR';
    throw new MnistModelError(
      missing ? 'NOT_FOUND' : 'CORRUPT_FILE',
      missing
        ? `No .keras file at ${file}. Save one with saveModel(model, "${path.basename(file)}") or Keras's ` +
            `model.save("${path.basename(file)}").`
        : `Cannot read ${file}: ${(error as Error).message}`,
      { file, cause: error },
    );
  }
}

/**
 * Writes a `.keras` file in one step: the bytes go to a temporary file beside it, which is then renamed over the
 * target, so the path holds either the old file or the whole new one. A directory at the path is refused.
 * Temporaries of killed saves (dead process, or older than a day) are removed by the next save to the same path.
 */
export async function writeKerasFile(location: string, bytes: Uint8Array): Promise<string> {
  const { fs, path } = nodeModules('saveModel(model, "x.keras")');
  const target = path.resolve(location);
  const parent = path.dirname(target);
  const name = path.basename(target);
  try {
    const existing = await fs.stat(target).catch(() => undefined);
    if (existing?.isDirectory()) {
      throw new MnistModelError(
        'WRITE_FAILED',
        `Cannot save the model to ${target}: it is a directory. Choose a file path ending in .keras, or a ` +
          'directory path without .keras for a model.json + weights.bin pair.',
        { file: target },
      );
    }
    await makeDirectories(parent);
    await removeStaleTemporaries(fs, path, parent, name);
    // The workspace's one atomic write, through a temporary name removeStaleTemporaries recognises.
    await writeFileAtomically(target, bytes, { temporary: path.join(parent, temporaryName(name)) });
    return target;
  } catch (error) {
    if (error instanceof MnistModelError) throw error;
    throw new MnistModelError(
      'WRITE_FAILED',
      `Could not save the model to ${target}: ${(error as Error).message}. No half-written file was left; check ` +
        'that the folder is writable and the disk has space.',
      { file: target, cause: error },
    );
  }
}
