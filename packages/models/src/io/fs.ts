import { MnistModelError } from '../errors.js';
import {
  MODEL_JSON,
  type ModelFiles,
  type ModelJson,
  parseModelJson,
  WEIGHTS_BIN,
  weightPaths,
} from './artifacts.js';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

/**
 * Node's `fs/promises` and `path`, fetched at call time through `process.getBuiltinModule` (Node ≥ 20.16)
 * instead of an import, so browser bundles of this package never see a Node built-in.
 */
function nodeModules(operation: string): { fs: Fs; path: Path } {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  if (getBuiltin === undefined) {
    throw new MnistModelError(
      'UNSUPPORTED',
      `${operation} reads or writes a directory, which needs Node.js ≥ 20.19. In a browser, load from a URL or ` +
        'from memory ({ modelJson, weights }), and use modelToFiles() to get the files of a model.',
    );
  }
  return { fs: getBuiltin('node:fs/promises') as Fs, path: getBuiltin('node:path') as Path };
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

/**
 * Reads `model.json` and its weight shards from a directory (or from the path of a `model.json` file).
 * Missing files are `NOT_FOUND` errors naming the path.
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
    text = await fs.readFile(modelJsonPath, 'utf8');
  } catch (error) {
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
  const shards = weightPaths(modelJson).map((shard) => path.resolve(directory, shard));
  const buffers: Uint8Array[] = [];
  for (const shard of shards) {
    try {
      buffers.push(await fs.readFile(shard));
    } catch (error) {
      throw new MnistModelError(
        'NOT_FOUND',
        `${modelJsonPath} lists the weights file ${shard}, which cannot be read (${errorCode(error) ?? 'error'}). ` +
          `Copy ${MODEL_JSON} together with its weights file(s), or save the model again.`,
        { file: shard, cause: error },
      );
    }
  }
  return {
    files: { modelJson, weights: concatenate(buffers) },
    modelJsonPath,
    weightsPath: shards.length === 1 ? (shards[0] as string) : `the weights of ${modelJsonPath}`,
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
