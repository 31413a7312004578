import { addPairs } from './counting';
import { MetricsError } from './errors';
import {
  assertNumClasses,
  assertNumericArray,
  assertSameLength,
  describe,
  inferNumClasses,
  type LabelArray,
} from './labels';
import { numpyMean, numpyWeightedMean } from './summation';

/**
 * The value a metric takes when it divides by zero, as scikit-learn's `zero_division`:
 * `0` (the default, what scikit-learn's default `'warn'` gives) or `1`.
 */
export type ZeroDivision = 0 | 1;

/** Options shared by {@link confusionMatrix}, {@link ConfusionMatrix.fromCounts} and the accumulator. */
export interface ConfusionMatrixOptions {
  /**
   * Number of classes k; labels must lie in `0 .. k - 1`. Defaults to `classNames.length` when names
   * are given, otherwise to the largest label seen + 1 (an extra pass over the data; pass it when known).
   */
  numClasses?: number;
  /** A display name per class, index = label. Defaults to `'0'`, `'1'`, ... */
  classNames?: readonly string[];
  /** Value of a precision or recall whose denominator is 0. Default `0`. See {@link ZeroDivision}. */
  zeroDivision?: ZeroDivision;
}

/** Precision, recall, F1 and counts of one class. */
export interface ClassMetrics {
  /** Class label (row/column index in the matrix). */
  readonly index: number;
  /** Display name of the class. */
  readonly name: string;
  /** Of the samples predicted as this class, the fraction that truly are: TP / (TP + FP). */
  readonly precision: number;
  /** Of the samples truly of this class, the fraction predicted as it: TP / (TP + FN). */
  readonly recall: number;
  /** Harmonic mean of precision and recall: 2·P·R / (P + R), 0 when P + R is 0. */
  readonly f1: number;
  /** Number of samples whose true class is this one (row sum). */
  readonly support: number;
  /** Number of samples predicted as this class (column sum). */
  readonly predicted: number;
  /** Number of samples of this class predicted correctly (diagonal cell). */
  readonly truePositives: number;
}

/** Precision, recall and F1 averaged over classes, with the total support. */
export interface AveragedMetrics {
  /** Averaged precision. */
  readonly precision: number;
  /** Averaged recall. */
  readonly recall: number;
  /** Averaged F1 (the average of per-class F1, not the F1 of the averages). */
  readonly f1: number;
  /** Total number of samples. */
  readonly support: number;
}

/**
 * How to normalise the matrix (scikit-learn's `normalize` names in brackets):
 * `'row'` divides each row by its true-class count (`'true'`: cells become recall-like rates),
 * `'column'` divides each column by its predicted count (`'pred'`: precision-like),
 * `'all'` divides by the total (`'all'`). Rows or columns with no samples give 0, as in scikit-learn.
 */
export type NormalizeMode = 'row' | 'column' | 'all';

/** One off-diagonal cell: how often `trueClass` was mistaken for `predictedClass`. */
export interface ConfusedPair {
  /** The true class. */
  readonly trueClass: number;
  /** The class it was predicted as. */
  readonly predictedClass: number;
  /** Display name of the true class. */
  readonly trueName: string;
  /** Display name of the predicted class. */
  readonly predictedName: string;
  /** Number of samples in this cell. */
  readonly count: number;
  /** `count` over the support of the true class: the share of that class lost to this mistake. */
  readonly rate: number;
}

/**
 * A metric that was undefined (0/0) for a class and was given the `zeroDivision` value instead.
 * scikit-learn prints an `UndefinedMetricWarning` in these cases; here they are data.
 * - `PRECISION_UNDEFINED`: the class was never predicted.
 * - `RECALL_UNDEFINED`: the class never occurs in the true labels.
 */
export interface MetricWarning {
  /** Which metric was undefined. */
  readonly code: 'PRECISION_UNDEFINED' | 'RECALL_UNDEFINED';
  /** The class concerned. */
  readonly classIndex: number;
  /** Its display name. */
  readonly className: string;
  /** The value reported instead (the `zeroDivision` option). */
  readonly value: ZeroDivision;
  /** A sentence saying all of the above. */
  readonly message: string;
}

/** Plain-data form of a {@link ConfusionMatrix}, as produced by `toJSON()` (for JSON output and web pages). */
export interface ConfusionMatrixJSON {
  /** Number of classes. */
  numClasses: number;
  /** Display name per class. */
  classNames: string[];
  /** `counts[true][predicted]`. */
  counts: number[][];
  /** Number of samples. */
  total: number;
  /** Fraction of samples on the diagonal. */
  accuracy: number;
  /** Per-class metrics. */
  classes: ClassMetrics[];
  /** Unweighted mean over classes. */
  macroAvg: AveragedMetrics;
  /** Mean over classes weighted by support. */
  weightedAvg: AveragedMetrics;
  /** Undefined metrics and the value used. */
  warnings: MetricWarning[];
}

/**
 * A k × k confusion matrix (row = true class, column = predicted class) with every metric derived
 * from it. Create one with {@link confusionMatrix}, {@link ConfusionMatrix.fromCounts} or a
 * {@link ConfusionMatrixAccumulator}. Immutable; derived metrics are computed once, up front
 * (they cost O(k²), nothing next to counting).
 *
 * Definitions follow scikit-learn 1.2 `precision_recall_fscore_support` and `classification_report`
 * called with `labels=range(k)`: every class in `0 .. k - 1` is listed even when absent from both
 * inputs, precision and recall that divide by zero take `zeroDivision` (0 by default) and are listed in
 * {@link ConfusionMatrix.warnings}, and F1 is `2·P·R / (P + R)` of those values (0 when both are 0).
 */
export class ConfusionMatrix {
  /** Number of classes k. */
  readonly numClasses: number;
  /** Display name per class. */
  readonly classNames: readonly string[];
  /** Counts, row-major k × k: `counts[t * k + p]` samples of true class t predicted as p. Do not modify. */
  readonly counts: Float64Array;
  /** Number of samples. */
  readonly total: number;
  /** Number of samples predicted correctly (the trace). */
  readonly correct: number;
  /** `correct / total`. */
  readonly accuracy: number;
  /** The value given to undefined precision or recall. */
  readonly zeroDivision: ZeroDivision;
  /** Per-class precision, index = class. */
  readonly precision: readonly number[];
  /** Per-class recall, index = class. */
  readonly recall: readonly number[];
  /** Per-class F1, index = class. */
  readonly f1: readonly number[];
  /** Per-class support (row sums), index = class. */
  readonly support: readonly number[];
  /** Per-class number of predictions (column sums), index = class. */
  readonly predicted: readonly number[];
  /** Everything about each class, one entry per class in label order. */
  readonly classes: readonly ClassMetrics[];
  /** Unweighted mean of the per-class metrics (scikit-learn `average='macro'`). */
  readonly macroAvg: AveragedMetrics;
  /** Mean of the per-class metrics weighted by support (scikit-learn `average='weighted'`). */
  readonly weightedAvg: AveragedMetrics;
  /** Metrics that were 0/0 and took the `zeroDivision` value, in class order (precision first). */
  readonly warnings: readonly MetricWarning[];

  /**
   * Builds a matrix from an existing table of counts, e.g. one read back from JSON.
   *
   * @param counts - Either rows (`counts[true][predicted]`) or a flat row-major array of k² values;
   *   whole numbers >= 0 with a positive total. The values are copied.
   * @param options - Class names and zero-division value; `numClasses` must match the table if given.
   * @throws {@link MetricsError} `INVALID_ARGUMENT` for a table that is not square or holds bad counts,
   *   `EMPTY_INPUT` when every count is 0.
   */
  static fromCounts(
    counts: ArrayLike<number> | readonly ArrayLike<number>[],
    options: Omit<ConfusionMatrixOptions, 'numClasses'> & { numClasses?: number } = {},
  ): ConfusionMatrix {
    const flat = flattenCounts(counts);
    const numClasses = Math.round(Math.sqrt(flat.length));
    if (flat.length === 0 || numClasses * numClasses !== flat.length) {
      throw new MetricsError(
        'INVALID_ARGUMENT',
        `counts must form a square k × k table, got ${flat.length} values.`,
      );
    }
    if (options.numClasses !== undefined && options.numClasses !== numClasses) {
      throw new MetricsError(
        'INVALID_ARGUMENT',
        `counts is ${numClasses} × ${numClasses} but numClasses is ${options.numClasses}.`,
      );
    }
    for (let i = 0; i < flat.length; i++) {
      const value = flat[i] as number;
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new MetricsError(
          'INVALID_ARGUMENT',
          `counts[${Math.floor(i / numClasses)}][${i % numClasses}] is ${describe(value)}; counts must be whole numbers >= 0.`,
        );
      }
    }
    return new ConfusionMatrix(flat, { ...options, numClasses });
  }

  /**
   * Prefer {@link confusionMatrix} or {@link ConfusionMatrix.fromCounts}: this constructor takes
   * ownership of `counts` and trusts it to hold whole numbers >= 0 (only its size is checked).
   *
   * @throws {@link MetricsError} `EMPTY_INPUT` when the counts total 0; `INVALID_ARGUMENT` for a table
   *   of the wrong size or bad options.
   */
  constructor(counts: Float64Array, options: ConfusionMatrixOptions & { numClasses: number }) {
    const k = options.numClasses;
    assertNumClasses(k);
    if (!(counts instanceof Float64Array) || counts.length !== k * k) {
      throw new MetricsError(
        'INVALID_ARGUMENT',
        `counts must be a Float64Array of numClasses² = ${k * k} values; use ConfusionMatrix.fromCounts for other tables.`,
      );
    }
    const zeroDivision = options.zeroDivision ?? 0;
    if (zeroDivision !== 0 && zeroDivision !== 1) {
      throw new MetricsError(
        'INVALID_ARGUMENT',
        `zeroDivision must be 0 or 1, got ${describe(zeroDivision)}.`,
      );
    }
    this.numClasses = k;
    this.classNames = resolveClassNames(options.classNames, k);
    this.counts = counts;
    this.zeroDivision = zeroDivision;

    const support = new Array<number>(k).fill(0);
    const predicted = new Array<number>(k).fill(0);
    let correct = 0;
    for (let t = 0; t < k; t++) {
      for (let p = 0; p < k; p++) {
        const count = counts[t * k + p] as number;
        support[t] = (support[t] as number) + count;
        predicted[p] = (predicted[p] as number) + count;
      }
      correct += counts[t * k + t] as number;
    }
    let total = 0;
    for (const count of support) total += count;
    if (total === 0) {
      throw new MetricsError('EMPTY_INPUT', 'The confusion matrix is empty: no samples were counted.');
    }
    this.total = total;
    this.correct = correct;
    this.accuracy = correct / total;
    this.support = support;
    this.predicted = predicted;

    const precision: number[] = [];
    const recall: number[] = [];
    const f1: number[] = [];
    for (let c = 0; c < k; c++) {
      const truePositives = counts[c * k + c] as number;
      const predictedCount = predicted[c] as number;
      const supportCount = support[c] as number;
      const p = predictedCount === 0 ? zeroDivision : truePositives / predictedCount;
      const r = supportCount === 0 ? zeroDivision : truePositives / supportCount;
      precision.push(p);
      recall.push(r);
      // Same expression and order of operations as scikit-learn, so results match to the last bit.
      f1.push(p + r === 0 ? 0 : (2 * p * r) / (p + r));
    }
    this.precision = precision;
    this.recall = recall;
    this.f1 = f1;
    this.warnings = zeroDivisionWarnings(this.classNames, support, predicted, zeroDivision);
    const classes: ClassMetrics[] = [];
    for (let c = 0; c < k; c++) {
      classes.push({
        index: c,
        name: this.classNames[c] as string,
        precision: precision[c] as number,
        recall: recall[c] as number,
        f1: f1[c] as number,
        support: support[c] as number,
        predicted: predicted[c] as number,
        truePositives: counts[c * k + c] as number,
      });
    }
    this.classes = classes;
    this.macroAvg = {
      precision: numpyMean(precision),
      recall: numpyMean(recall),
      f1: numpyMean(f1),
      support: total,
    };
    this.weightedAvg = {
      precision: numpyWeightedMean(precision, support),
      recall: numpyWeightedMean(recall, support),
      f1: numpyWeightedMean(f1, support),
      support: total,
    };
  }

  /** Number of samples of class `trueClass` predicted as `predictedClass`. */
  count(trueClass: number, predictedClass: number): number {
    this.assertClass(trueClass, 'trueClass');
    this.assertClass(predictedClass, 'predictedClass');
    return this.counts[trueClass * this.numClasses + predictedClass] as number;
  }

  /** The counts as rows: `rows()[true][predicted]`. A fresh copy. */
  rows(): number[][] {
    const k = this.numClasses;
    return Array.from({ length: k }, (_, t) => Array.from(this.counts.subarray(t * k, (t + 1) * k)));
  }

  /**
   * The matrix divided by row sums, column sums or the total (see {@link NormalizeMode}), as rows.
   * Empty rows or columns give 0s, as in scikit-learn's `confusion_matrix(normalize=...)`.
   */
  normalized(mode: NormalizeMode): number[][] {
    const k = this.numClasses;
    const divisor = (t: number, p: number): number => {
      if (mode === 'row') return this.support[t] as number;
      if (mode === 'column') return this.predicted[p] as number;
      if (mode === 'all') return this.total;
      throw new MetricsError(
        'INVALID_ARGUMENT',
        `normalized() takes 'row', 'column' or 'all', got ${describe(mode)}.`,
      );
    };
    return Array.from({ length: k }, (_, t) =>
      Array.from({ length: k }, (_, p) => {
        const denominator = divisor(t, p);
        return denominator === 0 ? 0 : (this.counts[t * k + p] as number) / denominator;
      }),
    );
  }

  /**
   * The most frequent mistakes: off-diagonal cells with a count above 0, largest first (ties in
   * true-class, then predicted-class order).
   *
   * @param limit - How many pairs at most. Default 5.
   */
  mostConfused(limit = 5): ConfusedPair[] {
    if (!Number.isInteger(limit) || limit < 0) {
      throw new MetricsError(
        'INVALID_ARGUMENT',
        `limit must be a whole number >= 0, got ${describe(limit)}.`,
      );
    }
    const k = this.numClasses;
    const pairs: ConfusedPair[] = [];
    for (let t = 0; t < k; t++) {
      for (let p = 0; p < k; p++) {
        const count = this.counts[t * k + p] as number;
        if (t === p || count === 0) continue;
        pairs.push({
          trueClass: t,
          predictedClass: p,
          trueName: this.classNames[t] as string,
          predictedName: this.classNames[p] as string,
          count,
          rate: count / (this.support[t] as number),
        });
      }
    }
    // Array#sort is stable, so equal counts keep the row-major order they were collected in.
    return pairs.sort((a, b) => b.count - a.count).slice(0, limit);
  }

  /** Plain data for `JSON.stringify`: counts as rows plus every derived metric. */
  toJSON(): ConfusionMatrixJSON {
    return {
      numClasses: this.numClasses,
      classNames: [...this.classNames],
      counts: this.rows(),
      total: this.total,
      accuracy: this.accuracy,
      classes: this.classes.map((c) => ({ ...c })),
      macroAvg: { ...this.macroAvg },
      weightedAvg: { ...this.weightedAvg },
      warnings: this.warnings.map((w) => ({ ...w })),
    };
  }

  private assertClass(value: number, argument: string): void {
    if (!Number.isInteger(value) || value < 0 || value >= this.numClasses) {
      throw new MetricsError(
        'LABEL_OUT_OF_RANGE',
        `${argument} is ${describe(value)}; classes are 0..${this.numClasses - 1}.`,
      );
    }
  }
}

/**
 * Counts true against predicted labels and derives every metric (see {@link ConfusionMatrix}).
 * One pass over the data, checking each label as it is counted.
 *
 * @example
 * ```ts
 * const cm = confusionMatrix([0, 1, 2, 2], [0, 2, 2, 2], { numClasses: 3 });
 * cm.accuracy;          // 0.75
 * cm.count(1, 2);       // 1: one sample of class 1 predicted as 2
 * cm.classes[1].recall; // 0
 * cm.warnings;          // class "1" was never predicted: precision 0/0, reported as 0
 * ```
 *
 * @param yTrue - True class per sample.
 * @param yPred - Predicted class per sample, same length.
 * @param options - Number of classes, names, zero-division value.
 * @throws {@link MetricsError} `LENGTH_MISMATCH`, `EMPTY_INPUT`, `NON_INTEGER_LABEL`,
 *   `LABEL_OUT_OF_RANGE`, `INVALID_ARGUMENT`.
 */
export function confusionMatrix(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: ConfusionMatrixOptions = {},
): ConfusionMatrix {
  assertSameLength(yTrue, yPred);
  if (yTrue.length === 0) {
    throw new MetricsError('EMPTY_INPUT', 'yTrue and yPred are empty; metrics need at least one sample.');
  }
  const numClasses = resolveNumClasses(options) ?? inferNumClasses(yTrue, yPred);
  const counts = new Float64Array(numClasses * numClasses);
  addPairs(counts, numClasses, yTrue, yPred);
  return new ConfusionMatrix(counts, { ...options, numClasses });
}

/** One warning per precision (class never predicted) and recall (class never true) that was 0/0. */
function zeroDivisionWarnings(
  classNames: readonly string[],
  support: readonly number[],
  predicted: readonly number[],
  zeroDivision: ZeroDivision,
): MetricWarning[] {
  const warnings: MetricWarning[] = [];
  const add = (code: MetricWarning['code'], classIndex: number, what: string) => {
    const className = classNames[classIndex] as string;
    warnings.push({
      code,
      classIndex,
      className,
      value: zeroDivision,
      message: `Class ${JSON.stringify(className)} ${what}, reported as ${zeroDivision}.`,
    });
  };
  predicted.forEach((count, c) => {
    if (count === 0) add('PRECISION_UNDEFINED', c, 'was never predicted: its precision is 0/0');
  });
  support.forEach((count, c) => {
    if (count === 0) add('RECALL_UNDEFINED', c, 'has no true samples: its recall is 0/0');
  });
  return warnings;
}

/** The number of classes from the options (checked against the names); undefined when neither says. */
export function resolveNumClasses(options: ConfusionMatrixOptions): number | undefined {
  const { numClasses, classNames } = options;
  if (numClasses !== undefined) assertNumClasses(numClasses);
  if (classNames !== undefined) {
    if (!Array.isArray(classNames)) {
      throw new MetricsError(
        'INVALID_ARGUMENT',
        `classNames must be an array of strings, got ${describe(classNames)}.`,
      );
    }
    if (numClasses !== undefined && classNames.length !== numClasses) {
      throw new MetricsError(
        'INVALID_ARGUMENT',
        `classNames has ${classNames.length} names but numClasses is ${numClasses}; give one name per class.`,
      );
    }
    assertNumClasses(classNames.length, 'classNames.length');
    return classNames.length;
  }
  return numClasses;
}

/** The class names to use: the given ones after checking them, or `'0'`, `'1'`, ... */
export function resolveClassNames(
  classNames: readonly string[] | undefined,
  numClasses: number,
): readonly string[] {
  if (classNames === undefined) return defaultClassNames(numClasses);
  if (classNames.length !== numClasses) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `classNames has ${classNames.length} names for ${numClasses} classes; give one name per class.`,
    );
  }
  classNames.forEach((name, i) => {
    if (typeof name !== 'string') {
      throw new MetricsError('INVALID_ARGUMENT', `classNames[${i}] is ${describe(name)}, not a string.`);
    }
  });
  return Object.freeze([...classNames]);
}

const defaultNamesCache = new Map<number, readonly string[]>();

/** `'0'`, `'1'`, ... frozen and shared: every matrix of the same size would otherwise rebuild them. */
function defaultClassNames(numClasses: number): readonly string[] {
  let names = defaultNamesCache.get(numClasses);
  if (names === undefined) {
    names = Object.freeze(Array.from({ length: numClasses }, (_, i) => String(i)));
    if (defaultNamesCache.size < 64) defaultNamesCache.set(numClasses, names);
  }
  return names;
}

function flattenCounts(counts: ArrayLike<number> | readonly ArrayLike<number>[]): Float64Array {
  if (Array.isArray(counts) && counts.length > 0 && typeof counts[0] === 'object') {
    const rows = counts as readonly ArrayLike<number>[];
    const k = rows.length;
    const flat = new Float64Array(k * k);
    rows.forEach((row, t) => {
      assertNumericArray(row, `counts[${t}]`);
      if (row.length !== k) {
        throw new MetricsError(
          'INVALID_ARGUMENT',
          `counts has ${k} rows but counts[${t}] has ${row.length} values; the table must be square.`,
        );
      }
      for (let p = 0; p < k; p++) flat[t * k + p] = row[p] as number;
    });
    return flat;
  }
  assertNumericArray(counts, 'counts');
  return Float64Array.from(counts as ArrayLike<number>);
}
