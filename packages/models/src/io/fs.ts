import { MnistModelError } from '../errors.js';
import { MODEL_JSON, type ModelFiles, type ModelJson, parseModelJson, WEIGHTS_BIN } from './artifacts.js';
import { MAX_MODEL_JSON_BYTES, planShards, sizeMismatch } from './confine.js';

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

/**
 * Writes `model.json` and `weights.bin` into `directory` without ever leaving a half-written file: both are
 * written in full to a fresh temporary directory beside it first. A new directory is then renamed into place
 * in one step; into an existing directory the two finished files are renamed (weights first, then the
 * `model.json` that refers to them), replacing any previous pair and leaving other files alone.
 * On failure the temporary directory is removed and the error names the path.
 */
export async function writeModelDirectory(
  directory: string,
  files: { modelJson: ModelJson; weights: ArrayBuffer },
): Promise<{ modelJsonPath: string; weightsPath: string }> {
  const { fs, path } = nodeModules('saveModel(model, dir)');
  const target = path.resolve(directory);
  const parent = path.dirname(target);
  let temporary: string | undefined;
  try {
    await fs.mkdir(parent, { recursive: true });
    temporary = await fs.mkdtemp(path.join(parent, `.${path.basename(target)}.tmp-`));
    await fs.writeFile(path.join(temporary, WEIGHTS_BIN), new Uint8Array(files.weights));
    await fs.writeFile(path.join(temporary, MODEL_JSON), JSON.stringify(files.modelJson));
    const existing = await fs.stat(target).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (existing === undefined) {
      await fs.rename(temporary, target);
      temporary = undefined;
    } else if (!existing.isDirectory()) {
      throw new MnistModelError(
        'WRITE_FAILED',
        `Cannot save the model to ${target}: it is a file, not a directory. Choose a directory path.`,
        { file: target },
      );
    } else {
      await fs.rename(path.join(temporary, WEIGHTS_BIN), path.join(target, WEIGHTS_BIN));
      await fs.rename(path.join(temporary, MODEL_JSON), path.join(target, MODEL_JSON));
    }
  } catch (error) {
    if (error instanceof MnistModelError) throw error;
    throw new MnistModelError(
      'WRITE_FAILED',
      `Could not save the model to ${target}: ${(error as Error).message}. No half-written file was left; check ` +
        'that the directory is writable and the disk has space.',
      { file: target, cause: error },
    );
  } finally {
    if (temporary !== undefined) await fs.rm(temporary, { recursive: true, force: true });
  }
  return { modelJsonPath: path.join(target, MODEL_JSON), weightsPath: path.join(target, WEIGHTS_BIN) };
}
