/**
 * Why a metrics call was rejected. Stable strings: match on these, not on messages.
 *
 * - `EMPTY_INPUT`: no samples were given (accuracy and friends are undefined).
 * - `LENGTH_MISMATCH`: two inputs that pair up sample by sample have different lengths.
 * - `LABEL_OUT_OF_RANGE`: a label is outside `0 .. numClasses - 1`.
 * - `NON_INTEGER_LABEL`: a label is not a whole number (or not a number at all).
 * - `INVALID_PROBABILITY`: a probability is NaN or outside `[0, 1]`, or a score is NaN.
 * - `INVALID_ARGUMENT`: an option or argument has the wrong type or value.
 */
export type MetricsErrorCode =
  | 'EMPTY_INPUT'
  | 'LENGTH_MISMATCH'
  | 'LABEL_OUT_OF_RANGE'
  | 'NON_INTEGER_LABEL'
  | 'INVALID_PROBABILITY'
  | 'INVALID_ARGUMENT';

/**
 * The one error type thrown by `@mnist/metrics` for bad input. The message names the argument,
 * the offending index and value, and what to do; `code` is for programs.
 *
 * @example
 * ```ts
 * try {
 *   confusionMatrix([0, 1], [0, 7], { numClasses: 2 });
 * } catch (error) {
 *   if (error instanceof MetricsError && error.code === 'LABEL_OUT_OF_RANGE') {
 *     // yPred[1] is 7, outside the class range 0..1 ...
 *   }
 * }
 * ```
 */
export class MetricsError extends Error {
  /** Machine-readable reason, see {@link MetricsErrorCode}. */
  readonly code: MetricsErrorCode;

  /**
   * @param code - Machine-readable reason.
   * @param message - Human-readable explanation: what is wrong and how to fix it.
   */
  constructor(code: MetricsErrorCode, message: string) {
    super(message);
    this.name = 'MetricsError';
    this.code = code;
  }
}
