import { MnistModelError } from '../errors.js';
import type { MnistModel } from '../model.js';
import { type ModelFiles, modelFromFiles, modelToFiles } from './artifacts.js';
import { readModelDirectory, writeModelDirectory } from './fs.js';
import { fetchModelFiles } from './http.js';

/**
 * Where {@link loadModel} reads a model from:
 * - a directory path or a `model.json` path (Node),
 * - an `http(s):` URL (string or `URL`), or in a browser any URL relative to the page,
 * - a `file:` URL (Node),
 * - memory: `{ modelJson, weights }` (e.g. imported JSON and bytes bundled with an app).
 */
export type ModelSource = string | URL | ModelFiles;

/** Options for {@link loadModel}. */
export interface LoadModelOptions {
  /** Passed to `fetch` for URL sources (headers, credentials, signal). */
  requestInit?: RequestInit;
}

/** Where a model was saved. */
export interface SavedModel {
  /** Absolute path of the written `model.json`. */
  modelJsonPath: string;
  /** Absolute path of the written `weights.bin`. */
  weightsPath: string;
  /** Size of `weights.bin` in bytes. */
  weightBytes: number;
}

const isNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ===
    'string' && typeof (globalThis as { document?: unknown }).document === 'undefined';

/**
 * Saves a model as the standard TensorFlow.js pair `model.json` + `weights.bin` in a directory (Node), written
 * atomically: both files go to a temporary directory beside it first and are then renamed into place, so no
 * half-written file is ever left. Stock `tf.loadLayersModel` reads the pair in a browser; this package's
 * {@link loadModel} reads it anywhere. The model's name, input kind, recipe and seed go into `model.json`'s
 * `userDefinedMetadata.mnist`. No tfjs-node needed.
 *
 * @param directory - created if missing; an existing `model.json`/`weights.bin` pair in it is replaced
 */
export async function saveModel(model: MnistModel, directory: string): Promise<SavedModel> {
  const files = await modelToFiles(model);
  const written = await writeModelDirectory(directory, files);
  return { ...written, weightBytes: files.weights.byteLength };
}

/**
 * Loads a model from a directory, a URL or memory (see {@link ModelSource}), checking that the files are whole
 * and belong together (`CORRUPT_FILE`) and that the network takes 784 or 28×28×1 inputs and gives 10 outputs
 * (`WRONG_ARCHITECTURE`). Errors are {@link MnistModelError}s naming the file. No tfjs-node needed.
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<MnistModel> {
  if (typeof source === 'object' && !(source instanceof URL)) {
    if (source === null || !('modelJson' in source) || !('weights' in source)) {
      throw new MnistModelError(
        'BAD_INPUT',
        'loadModel takes a directory path, a URL, or { modelJson, weights }; got an object without those keys.',
      );
    }
    return modelFromFiles(source, { modelJson: 'model.json (in memory)', weights: 'weights (in memory)' });
  }
  const text = source instanceof URL ? source.href : source;
  if (/^file:/i.test(text)) {
    const url = (
      globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
    ).process?.getBuiltinModule?.('node:url') as typeof import('node:url') | undefined;
    if (url === undefined) {
      throw new MnistModelError(
        'UNSUPPORTED',
        `Cannot read ${text} here: file: URLs need Node.js. Use an http(s) URL.`,
      );
    }
    return fromDirectory(url.fileURLToPath(text));
  }
  if (/^https?:/i.test(text)) return fromUrl(text, options);
  if (isNode()) return fromDirectory(text);
  const base = (globalThis as { location?: { href: string } }).location?.href;
  return fromUrl(new URL(text, base).href, options);
}

async function fromDirectory(location: string): Promise<MnistModel> {
  const { files, modelJsonPath, weightsPath } = await readModelDirectory(location);
  return modelFromFiles(files, { modelJson: modelJsonPath, weights: weightsPath });
}

async function fromUrl(url: string, options: LoadModelOptions): Promise<MnistModel> {
  const { files, modelJsonUrl, weightsUrl } = await fetchModelFiles(url, options.requestInit);
  return modelFromFiles(files, { modelJson: modelJsonUrl, weights: weightsUrl });
}
