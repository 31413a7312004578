import {
  ConfusionMatrix,
  type ConfusionMatrixOptions,
  resolveClassNames,
  resolveNumClasses,
} from './confusion-matrix';
import { addPairs } from './counting';
import { MetricsError } from './errors';
import { assertSameLength, type LabelArray } from './labels';

/**
 * Builds a confusion matrix batch by batch, e.g. while a model predicts the test set in chunks.
 * The result equals {@link confusionMatrix} on the concatenated batches.
 *
 * A batch with a bad label is rejected whole (the error says which element): earlier batches stay
 * counted and the accumulator remains usable. Counts are exact up to 2^53 per cell.
 *
 * @example
 * ```ts
 * const acc = new ConfusionMatrixAccumulator(10);
 * for (const batch of batches) acc.add(batch.labels, batch.predictions);
 * console.log(acc.result().accuracy);
 * ```
 */
export class ConfusionMatrixAccumulator {
  /** Number of classes k. */
  readonly numClasses: number;
  private readonly options: ConfusionMatrixOptions & { numClasses: number };
  private readonly counts: Float64Array;
  private samples = 0;

  /**
   * @param numClasses - Number of classes k; labels must lie in `0 .. k - 1`.
   * @param options - Class names and zero-division value for the results.
   * @throws {@link MetricsError} `INVALID_ARGUMENT` for a bad class count or names.
   */
  constructor(numClasses: number, options: Omit<ConfusionMatrixOptions, 'numClasses'> = {}) {
    this.numClasses = resolveNumClasses({ ...options, numClasses }) ?? numClasses;
    // Checked now rather than at the first result(), next to the mistake.
    const classNames = resolveClassNames(options.classNames, this.numClasses);
    this.options = { ...options, classNames, numClasses: this.numClasses };
    this.counts = new Float64Array(this.numClasses * this.numClasses);
  }

  /** Number of samples added so far. */
  get total(): number {
    return this.samples;
  }

  /**
   * Counts one batch. An empty batch is allowed and changes nothing.
   *
   * @returns this, for chaining.
   * @throws {@link MetricsError} `LENGTH_MISMATCH`, `NON_INTEGER_LABEL`, `LABEL_OUT_OF_RANGE`; the batch
   *   is then not counted at all.
   */
  add(yTrue: LabelArray, yPred: LabelArray): this {
    assertSameLength(yTrue, yPred);
    addPairs(this.counts, this.numClasses, yTrue, yPred);
    this.samples += yTrue.length;
    return this;
  }

  /** Forgets everything added, to start a new evaluation with the same classes. */
  reset(): void {
    this.counts.fill(0);
    this.samples = 0;
  }

  /**
   * A snapshot of the metrics so far; later `add` calls do not change it.
   *
   * @throws {@link MetricsError} `EMPTY_INPUT` when no sample has been added yet.
   */
  result(): ConfusionMatrix {
    if (this.samples === 0) {
      throw new MetricsError(
        'EMPTY_INPUT',
        'No predictions were added to the accumulator yet; call add() first.',
      );
    }
    return new ConfusionMatrix(Float64Array.from(this.counts), this.options);
  }
}
