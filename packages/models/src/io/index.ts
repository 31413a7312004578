import { MnistModelError } from '../errors.js';
import type { MnistModel } from '../model.js';
import { type ModelFiles, modelFromFiles, modelToFiles } from './artifacts.js';
import { readKerasFile, readModelDirectory, writeKerasFile, writeModelDirectory } from './fs.js';
import { fetchKerasFile, fetchModelFiles, type TransferOptions } from './http.js';
import { modelToKeras } from './keras/index.js';

/**
 * A Keras 3 `.keras` file held in memory, e.g. from a file picker or a drop (`new Uint8Array(await
 * file.arrayBuffer())`).
 */
export interface KerasBytes {
  /** The whole `.keras` file (a zip archive). */
  keras: Uint8Array | ArrayBuffer;
  /** What to call it in messages (e.g. the dropped file's name); default `model.keras (in memory)`. */
  name?: string;
}

/**
 * Where {@link loadModel} reads a model from:
 * - a directory path or a `model.json` path (Node),
 * - a `.keras` file (Keras 3's format): its path (Node), its URL, or its bytes (`{ keras }`),
 * - an `http(s):` URL (string or `URL`), or in a browser any URL relative to the page,
 * - a `file:` URL (Node),
 * - memory: `{ modelJson, weights }` (e.g. imported JSON and bytes bundled with an app).
 */
export type ModelSource = string | URL | ModelFiles | KerasBytes;

/** Options for {@link loadModel}. */
export interface LoadModelOptions {
  /** Passed to `fetch` for URL sources (headers, credentials, signal). */
  requestInit?: RequestInit;
  /** Cancels the download of a URL source: `loadModel` rejects with `ABORTED`. */
  signal?: AbortSignal;
  /**
   * For URL sources: no byte for this long ends a file's transfer with `FETCH_FAILED` (default 30 s, as
   * `@mnist/data`'s downloads: its `DEFAULT_TIMEOUT_MS`).
   */
  timeoutMs?: number;
  /**
   * For URL sources: the most each file (`model.json`, each weights file, a `.keras` file) may take, from request to
   * last byte, before `FETCH_FAILED` (default as `@mnist/data`'s downloads, its `defaultDeadlineMs`: one minute plus
   * one second per 16 KiB of the file, as announced by the server, else of the most that file may hold).
   */
  deadlineMs?: number;
}

/** The transfer rules of a URL source, from {@link LoadModelOptions}. */
function transferOf(options: LoadModelOptions): TransferOptions {
  return {
    init: options.requestInit,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    deadlineMs: options.deadlineMs,
  };
}

/** Where a model was saved. */
export interface SavedModel {
  /** `tfjs` for a `model.json` + `weights.bin` directory, `keras` for one `.keras` file. */
  format: 'tfjs' | 'keras';
  /** Absolute path of the written `model.json`, or of the `.keras` file (which holds the config). */
  modelJsonPath: string;
  /** Absolute path of the written `weights.bin`, or of the `.keras` file (which holds the weights). */
  weightsPath: string;
  /** Bytes of weight values: the size of `weights.bin` (float32 values × 4; the same count for `.keras`). */
  weightBytes: number;
}

/** Options for {@link saveModel}. */
export interface SaveModelOptions {
  /**
   * Stops a save to a directory before its commit point (the rename that switches models): `saveModel` rejects with
   * `ABORTED` and leaves nothing it wrote. Once that rename is done, the save completes.
   */
  signal?: AbortSignal;
}

/** Whether a path or URL names a `.keras` file (a URL's query and fragment aside). */
function isKerasPath(text: string): boolean {
  const path = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text.replace(/[?#].*$/, '') : text;
  return /\.keras$/i.test(path);
}

const isNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ===
    'string' && typeof (globalThis as { document?: unknown }).document === 'undefined';

/**
 * Saves a model (Node), written atomically so that no half-written file is ever left:
 * - to a path ending in `.keras`: one Keras 3 `.keras` file (see {@link modelToKeras}), which
 *   `keras.saving.load_model` opens compiled as the Keras tutorial compiles; written to a temporary file beside it
 *   and renamed into place;
 * - to any other path: the standard TensorFlow.js pair `model.json` + `weights.bin` in that directory; both files
 *   go to a temporary directory beside it first and are then renamed into place. Stock `tf.loadLayersModel` reads
 *   the pair in a browser.
 *
 * This package's {@link loadModel} reads both anywhere. The model's name, input kind, recipe and seed go into
 * `model.json`'s `userDefinedMetadata.mnist` (the `.keras` file's `metadata.json`). No tfjs-node needed.
 *
 * One save at a time per directory: while one is in progress, another to the same directory (from any process)
 * is refused with `WRITE_FAILED`, saying so.
 *
 * @param path - a `.keras` file path, or a directory (created if missing; an existing `model.json`/`weights.bin`
 *   pair in it is replaced)
 * @param options - a `signal` that stops the save before its commit point
 */
export async function saveModel(
  model: MnistModel,
  path: string,
  options: SaveModelOptions = {},
): Promise<SavedModel> {
  if (isKerasPath(path)) {
    const bytes = await modelToKeras(model);
    const file = await writeKerasFile(path, bytes);
    const values = model.layersModel.countParams();
    return { format: 'keras', modelJsonPath: file, weightsPath: file, weightBytes: values * 4 };
  }
  const files = await modelToFiles(model);
  const written = await writeModelDirectory(path, files, options.signal);
  return { format: 'tfjs', ...written, weightBytes: files.weights.byteLength };
}

/**
 * Loads a model from a directory, a `.keras` file, a URL or memory (see {@link ModelSource}), checking that the
 * files are whole and belong together (`CORRUPT_FILE`) and that the network takes 784 or 28×28×1 inputs and gives
 * 10 outputs (`WRONG_ARCHITECTURE`). A `.keras` file (Keras 3) is converted first: its layers must be of the kinds
 * the converter knows, and code (Lambda layers) or custom objects in it are refused (`UNSUPPORTED`). Errors are
 * {@link MnistModelError}s naming the file. No tfjs-node needed.
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<MnistModel> {
  if (typeof source === 'object' && !(source instanceof URL)) {
    if (source !== null && 'keras' in source) return fromKerasBytes(source);
    if (source === null || !('modelJson' in source) || !('weights' in source)) {
      throw new MnistModelError(
        'BAD_INPUT',
        'loadModel takes a directory path, a .keras file, a URL, { keras } or { modelJson, weights }; got an ' +
          'object without those keys.',
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
    const path = url.fileURLToPath(text);
    return isKerasPath(path) ? fromKerasFile(path) : fromDirectory(path);
  }
  if (/^https?:/i.test(text)) return isKerasPath(text) ? fromKerasUrl(text, options) : fromUrl(text, options);
  if (isNode()) return isKerasPath(text) ? fromKerasFile(text) : fromDirectory(text);
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const href = new URL(text, base).href;
  return isKerasPath(href) ? fromKerasUrl(href, options) : fromUrl(href, options);
}

async function fromKeras(bytes: Uint8Array, file: string): Promise<MnistModel> {
  // The reader (fflate, the config conversion, h5wasm) is loaded on the first .keras file.
  const { kerasToModelFiles } = await import('./keras/read.js');
  const files = await kerasToModelFiles(bytes, file);
  return modelFromFiles(files, { modelJson: file, weights: `${file} (model.weights.h5)` });
}

async function fromKerasBytes(source: KerasBytes): Promise<MnistModel> {
  const { keras } = source;
  if (!(keras instanceof Uint8Array || keras instanceof ArrayBuffer)) {
    throw new MnistModelError(
      'BAD_INPUT',
      'loadModel({ keras }) takes the bytes of a .keras file as a Uint8Array or an ArrayBuffer.',
    );
  }
  const name =
    typeof source.name === 'string' && source.name !== '' ? source.name : 'model.keras (in memory)';
  return fromKeras(keras instanceof Uint8Array ? keras : new Uint8Array(keras), name);
}

async function fromKerasFile(location: string): Promise<MnistModel> {
  const { bytes, path } = await readKerasFile(location);
  return fromKeras(bytes, path);
}

async function fromKerasUrl(url: string, options: LoadModelOptions): Promise<MnistModel> {
  return fromKeras(await fetchKerasFile(url, transferOf(options)), url);
}

async function fromDirectory(location: string): Promise<MnistModel> {
  const { files, modelJsonPath, weightsPath } = await readModelDirectory(location);
  return modelFromFiles(files, { modelJson: modelJsonPath, weights: weightsPath });
}

async function fromUrl(url: string, options: LoadModelOptions): Promise<MnistModel> {
  const { files, modelJsonUrl, weightsUrl } = await fetchModelFiles(url, transferOf(options));
  return modelFromFiles(files, { modelJson: modelJsonUrl, weights: weightsUrl });
}
