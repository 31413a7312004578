/**
 * What went wrong, as a stable code to branch on:
 * - `UNKNOWN_MODEL`: a model name that {@link createModel} does not know.
 * - `BAD_INPUT`: images, labels or options of the wrong size, type or range.
 * - `WRONG_ARCHITECTURE`: a loaded model does not take 784 or 28×28×1 inputs or does not give 10 outputs.
 * - `CORRUPT_FILE`: `model.json` that is not valid model JSON, or weights of the wrong byte length.
 * - `NOT_FOUND`: a model file or directory that does not exist.
 * - `FETCH_FAILED`: an HTTP request for a model file failed, stalled (no byte for `timeoutMs`) or missed its deadline.
 * - `ABORTED`: loading a model from a URL, or saving one to a directory, was cancelled through its `signal`.
 * - `WRITE_FAILED`: saving could not write or rename its files (nothing half-written is left).
 * - `UNSUPPORTED`: the operation needs something this environment lacks (e.g. a file system), or a model has a
 *   layer or setting that `toOnnx` cannot convert.
 * - `BACKEND_UNAVAILABLE`: a tfjs backend that was asked for could not be loaded or initialised.
 * - `TRAINING_FAILED`: training itself broke down (a thread of the wasm engine crashed); its threads are stopped.
 * - `DISPOSED`: the model was disposed (`model.layersModel.dispose()`) and cannot be used any more.
 */
export type MnistModelErrorCode =
  | 'UNKNOWN_MODEL'
  | 'BAD_INPUT'
  | 'WRONG_ARCHITECTURE'
  | 'CORRUPT_FILE'
  | 'NOT_FOUND'
  | 'FETCH_FAILED'
  | 'ABORTED'
  | 'WRITE_FAILED'
  | 'UNSUPPORTED'
  | 'BACKEND_UNAVAILABLE'
  | 'TRAINING_FAILED'
  | 'DISPOSED';

/** The one error class of `@mnist/models`: a message that says what to do, a code, and the file involved. */
export class MnistModelError extends Error {
  /** A stable code; see {@link MnistModelErrorCode}. */
  readonly code: MnistModelErrorCode;
  /** The file, directory or URL the error is about, when there is one. */
  readonly file: string | undefined;

  /**
   * @param code - what went wrong
   * @param message - a full sentence naming the thing and the fix
   * @param options - the file concerned and the underlying error
   */
  constructor(code: MnistModelErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MnistModelError';
    this.code = code;
    this.file = options.file;
  }
}
