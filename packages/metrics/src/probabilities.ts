import { MetricsError } from './errors';
import { assertNumericArray, describe, type LabelArray, labelError } from './labels';
import { pairwiseSum } from './summation';

/**
 * Scores or probabilities for n samples × k classes: either flat and row-major (`n * k` values, what
 * `tensor.dataSync()` returns for an `[n, k]` tensor) or one row per sample. k is `length / n` for a
 * flat array and the row length otherwise.
 */
export type ScoreMatrix = ArrayLike<number> | readonly ArrayLike<number>[];

/** A validated, flat view of a {@link ScoreMatrix}. */
interface FlatScores {
  readonly values: ArrayLike<number>;
  readonly numClasses: number;
}

/**
 * Fraction of samples whose true class is among the `k` highest scores.
 *
 * Ties are ranked as scikit-learn's `top_k_accuracy_score` ranks them (a stable sort, reversed): among
 * equal scores the higher class index ranks first. Note that `argMax` in TensorFlow.js picks the
 * lowest index on ties, so with tied scores top-1 accuracy can differ from argmax accuracy.
 *
 * @example
 * ```ts
 * topKAccuracy([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3]], [2, 1], 2); // 0.5: 2 is 2nd in row 0; 1 is 3rd in row 1
 * ```
 *
 * @param scores - n × k scores (probabilities, logits: any real numbers, no NaN).
 * @param yTrue - True class per sample, whole numbers in `0 .. k - 1`.
 * @param k - How many top classes count as a hit, a whole number >= 1. Default 1.
 * @throws {@link MetricsError} `EMPTY_INPUT`, `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`,
 *   `NON_INTEGER_LABEL`, `INVALID_PROBABILITY` (NaN score), `INVALID_ARGUMENT`.
 */
export function topKAccuracy(scores: ScoreMatrix, yTrue: LabelArray, k = 1): number {
  if (!Number.isInteger(k) || k < 1) {
    throw new MetricsError('INVALID_ARGUMENT', `k must be a whole number >= 1, got ${describe(k)}.`);
  }
  const { values, numClasses } = flattenScores(scores, yTrue);
  const n = yTrue.length;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const label = checkedLabel(yTrue, i, numClasses);
    const offset = i * numClasses;
    const trueScore = values[offset + label] as number;
    if (Number.isNaN(trueScore)) throw nanScore(offset + label, numClasses);
    // Rank of the true class: classes scoring higher, plus equal-scoring classes with a higher index.
    let rank = 0;
    for (let c = 0; c < numClasses; c++) {
      const score = values[offset + c] as number;
      if (score > trueScore || (score === trueScore && c > label)) rank++;
      else if (Number.isNaN(score)) throw nanScore(offset + c, numClasses);
    }
    if (rank < k) hits++;
  }
  return hits / n;
}

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /**
   * Probabilities are clipped to `[eps, 1 - eps]` before the logarithm, so a confident wrong 0 costs
   * `-log(eps)` instead of infinity. Default: the machine epsilon of the input's element type, as
   * scikit-learn's `eps='auto'` does: 2^-23 (≈1.19e-7) for a Float32Array, 2^-52 (≈2.22e-16)
   * otherwise. Keras clips with 1e-7.
   */
  eps?: number;
  /** `'mean'` (default) averages over samples; `'sum'` adds them up (scikit-learn `normalize=False`). */
  reduction?: 'mean' | 'sum';
}

/**
 * Cross-entropy (log loss) of predicted class probabilities: the mean over samples of
 * `-ln p(true class)`, computed as scikit-learn 1.2's `log_loss(y_true, y_prob, labels=range(k))`:
 *
 * 1. every probability is clipped to `[eps, 1 - eps]` (see {@link LogLossOptions.eps}), so 0 and 1
 *    give a finite loss;
 * 2. each row is then divided by its sum, so rows that do not sum to 1 (e.g. the independent sigmoid
 *    outputs of a `Dense(10, sigmoid)` layer) are treated as relative likelihoods, as Keras's
 *    sparse categorical cross-entropy also does.
 *
 * Unlike scikit-learn, values outside `[0, 1]` and NaN are rejected instead of being clipped: they
 * usually mean logits were passed where probabilities were expected.
 *
 * @param probabilities - n × k probabilities in `[0, 1]`.
 * @param yTrue - True class per sample, whole numbers in `0 .. k - 1`.
 * @param options - Clipping epsilon and reduction.
 * @throws {@link MetricsError} `EMPTY_INPUT`, `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`,
 *   `NON_INTEGER_LABEL`, `INVALID_PROBABILITY`, `INVALID_ARGUMENT`.
 */
export function logLoss(probabilities: ScoreMatrix, yTrue: LabelArray, options: LogLossOptions = {}): number {
  const { values, numClasses } = flattenScores(probabilities, yTrue);
  const eps = options.eps ?? (values instanceof Float32Array ? 2 ** -23 : Number.EPSILON);
  if (typeof eps !== 'number' || !(eps >= 0 && eps < 0.5)) {
    throw new MetricsError('INVALID_ARGUMENT', `eps must be a number in [0, 0.5), got ${describe(eps)}.`);
  }
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum') {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `reduction must be 'mean' or 'sum', got ${describe(reduction)}.`,
    );
  }
  const n = yTrue.length;
  const losses = new Float64Array(n);
  const row = new Float64Array(numClasses);
  for (let i = 0; i < n; i++) {
    const label = checkedLabel(yTrue, i, numClasses);
    const offset = i * numClasses;
    for (let c = 0; c < numClasses; c++) {
      const p = values[offset + c] as number;
      if (!(p >= 0 && p <= 1)) throw probabilityError(offset + c, numClasses, p);
      row[c] = Math.min(Math.max(p, eps), 1 - eps); // np.clip(p, eps, 1 - eps)
    }
    // The row sum in NumPy's order keeps the result identical to scikit-learn's.
    losses[i] = -Math.log((row[label] as number) / pairwiseSum(row));
  }
  const sum = pairwiseSum(losses);
  return reduction === 'sum' ? sum : sum / n;
}

/** Checks shapes and returns the scores as one flat row-major array. */
export function flattenScores(scores: ScoreMatrix, yTrue: LabelArray): FlatScores {
  assertNumericArray(yTrue, 'yTrue');
  const n = yTrue.length;
  if (n === 0) throw new MetricsError('EMPTY_INPUT', 'yTrue is empty; metrics need at least one sample.');
  if (Array.isArray(scores) && scores.length > 0 && typeof scores[0] === 'object') {
    const rows = scores as readonly ArrayLike<number>[];
    if (rows.length !== n) {
      throw new MetricsError(
        'LENGTH_MISMATCH',
        `scores has ${rows.length} rows but yTrue has ${n} labels; pass one row per sample.`,
      );
    }
    assertNumericArray(rows[0], 'scores[0]');
    const numClasses = rows[0].length;
    const values = new Float64Array(n * numClasses);
    rows.forEach((row, i) => {
      assertNumericArray(row, `scores[${i}]`);
      if (row.length !== numClasses) {
        throw new MetricsError(
          'LENGTH_MISMATCH',
          `scores[${i}] has ${row.length} values but scores[0] has ${numClasses}; every row needs one per class.`,
        );
      }
      for (let c = 0; c < numClasses; c++) values[i * numClasses + c] = row[c] as number;
    });
    return { values, numClasses: checkedNumClasses(numClasses) };
  }
  assertNumericArray(scores, 'scores');
  if (scores.length % n !== 0) {
    throw new MetricsError(
      'LENGTH_MISMATCH',
      `scores has ${scores.length} values for ${n} samples; a flat array needs n × numClasses values.`,
    );
  }
  return { values: scores, numClasses: checkedNumClasses(scores.length / n) };
}

function checkedNumClasses(numClasses: number): number {
  if (numClasses < 1) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      'scores has no classes; each sample needs one score per class.',
    );
  }
  return numClasses;
}

export function checkedLabel(yTrue: LabelArray, index: number, numClasses: number): number {
  const label = yTrue[index] as number;
  if (label >>> 0 !== label || label >= numClasses) throw labelError('yTrue', index, label, numClasses);
  return label;
}

/** The error for a probability outside [0, 1] (or NaN) at a flat index. */
export function probabilityError(flatIndex: number, numClasses: number, value: number): MetricsError {
  return new MetricsError(
    'INVALID_PROBABILITY',
    `${cellName(flatIndex, numClasses)} is ${describe(value)}; probabilities must lie in [0, 1] ` +
      '(apply softmax or sigmoid to logits first).',
  );
}

function cellName(flatIndex: number, numClasses: number): string {
  return `scores[${Math.floor(flatIndex / numClasses)}][${flatIndex % numClasses}]`;
}

function nanScore(flatIndex: number, numClasses: number): MetricsError {
  return new MetricsError(
    'INVALID_PROBABILITY',
    `${cellName(flatIndex, numClasses)} is NaN; scores must be numbers.`,
  );
}
