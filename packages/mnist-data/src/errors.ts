/**
 * Every way loading or preparing data can fail, as a stable machine-readable code.
 *
 * - `BAD_INPUT`: an argument passed to this library is invalid (wrong size, out-of-range index...).
 * - `BAD_MAGIC`: a file is not an IDX file of the expected kind (magic number 2051 for images, 2049 for labels).
 * - `TRUNCATED`: a file (or its gzip stream) ends before the data its header announces.
 * - `BAD_LENGTH`: a file holds more bytes than its header announces.
 * - `BAD_SHAPE`: the dimensions in a file header are not the expected ones (e.g. not 28×28).
 * - `BAD_LABEL`: a label file holds a label outside 0–9 (every data set here has ten classes).
 * - `BAD_GZIP`: a file starts like gzip but cannot be decompressed.
 * - `COUNT_MISMATCH`: the images and labels of a split disagree on how many examples there are.
 * - `CHECKSUM_MISMATCH`: a file's SHA-256 (of its uncompressed content) is not the published one.
 * - `NOT_FOUND`: no place that was searched holds the data set.
 * - `DOWNLOAD_FAILED`: every mirror failed (HTTP error, network error, timeout).
 * - `ABORTED`: the caller's `AbortSignal` fired.
 * - `TOO_LARGE`: a file or a download is larger than any genuine copy of it can be (reading stopped there).
 * - `UNREADABLE`: a file is there but cannot be read (not a regular file, permissions, I/O error).
 * - `CACHE_UNWRITABLE`: the cache directory cannot be created or written (the message names it and what to do).
 */
export type MnistDataErrorCode =
  | 'BAD_INPUT'
  | 'BAD_MAGIC'
  | 'TRUNCATED'
  | 'BAD_LENGTH'
  | 'BAD_SHAPE'
  | 'BAD_LABEL'
  | 'BAD_GZIP'
  | 'COUNT_MISMATCH'
  | 'CHECKSUM_MISMATCH'
  | 'NOT_FOUND'
  | 'DOWNLOAD_FAILED'
  | 'ABORTED'
  | 'TOO_LARGE'
  | 'UNREADABLE'
  | 'CACHE_UNWRITABLE';

/** One place the loader looked at, and what it found there (kept on `NOT_FOUND`/`DOWNLOAD_FAILED` errors). */
export interface SearchAttempt {
  /** Which step of the search order this was. */
  kind: 'dir' | 'env' | 'cache' | 'package' | 'system' | 'download' | 'url';
  /** A directory, URL or description of the place. */
  location: string;
  /** What happened there, in words (e.g. "missing train-images-idx3-ubyte(.gz)"). */
  outcome: string;
  /** The error code, when the place held something that failed a check. */
  code?: MnistDataErrorCode;
}

/** Extra facts attached to an error, to help programs react to it. */
export interface MnistDataErrorDetails {
  /** The file (name or path) the error is about. */
  file?: string;
  /** For `CHECKSUM_MISMATCH`: the published SHA-256 (hex). */
  expected?: string;
  /** For `CHECKSUM_MISMATCH`: the SHA-256 actually computed (hex). */
  actual?: string;
  /** For `NOT_FOUND`/`DOWNLOAD_FAILED`: every place searched, in order. */
  attempts?: SearchAttempt[];
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The single error class thrown by `@mnist/data`. Switch on {@link MnistDataError.code}; the message is written for
 * a person and says what went wrong and what to do about it.
 */
export class MnistDataError extends Error {
  /** Stable machine-readable reason. */
  readonly code: MnistDataErrorCode;
  /** The file the error is about, when there is one. */
  readonly file: string | undefined;
  /** For `CHECKSUM_MISMATCH`: the expected SHA-256. */
  readonly expected: string | undefined;
  /** For `CHECKSUM_MISMATCH`: the computed SHA-256. */
  readonly actual: string | undefined;
  /** For `NOT_FOUND`/`DOWNLOAD_FAILED`: every place searched. */
  readonly attempts: readonly SearchAttempt[];

  /** Creates an error with a code, a human message and optional details. */
  constructor(code: MnistDataErrorCode, message: string, details: MnistDataErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'MnistDataError';
    this.code = code;
    this.file = details.file;
    this.expected = details.expected;
    this.actual = details.actual;
    this.attempts = details.attempts ?? [];
  }
}

/** True if `error` is an {@link MnistDataError} (optionally with the given code). */
export function isMnistDataError(error: unknown, code?: MnistDataErrorCode): error is MnistDataError {
  return error instanceof MnistDataError && (code === undefined || error.code === code);
}
