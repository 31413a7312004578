import { type LabelArray, labelError } from './labels';

/** Tables up to this many cells (256 classes) reuse one scratch buffer instead of allocating. */
const MAX_SCRATCH_CELLS = 65536;
let scratch = new Uint32Array(100);

/**
 * Counts the pairs `(yTrue[i], yPred[i])` and adds them to `totals`, a row-major
 * `numClasses × numClasses` table (row = true class, column = predicted class), checking every label
 * in the same pass.
 *
 * Pairs are first counted in a Uint32Array: integer increments are markedly faster than Float64 ones,
 * and one call cannot overflow it because no JavaScript array holds more than 2^32 - 1 elements. Only
 * when every label has passed are the counts added to `totals` (exact to 2^53), so a bad label leaves
 * `totals` untouched. Small tables reuse one scratch buffer: fresh typed arrays are costly to allocate
 * and collect, which shows when many small batches are counted.
 *
 * Both arrays must already have the same length.
 */
export function addPairs(totals: Float64Array, numClasses: number, yTrue: LabelArray, yPred: LabelArray): void {
  const cells = numClasses * numClasses;
  let counts: Uint32Array;
  if (cells > MAX_SCRATCH_CELLS) {
    counts = new Uint32Array(cells);
  } else {
    if (scratch.length < cells) scratch = new Uint32Array(cells);
    counts = scratch;
    counts.fill(0, 0, cells);
  }
  const n = yTrue.length;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i] as number;
    const p = yPred[i] as number;
    // One unsigned conversion per label rejects negatives, fractions, NaN and non-numbers at once.
    const row = t >>> 0;
    const column = p >>> 0;
    if (row !== t || column !== p || row >= numClasses || column >= numClasses) {
      throw row !== t || row >= numClasses
        ? labelError('yTrue', i, t, numClasses)
        : labelError('yPred', i, p, numClasses);
    }
    const cell = row * numClasses + column;
    counts[cell] = (counts[cell] as number) + 1;
  }
  for (let cell = 0; cell < cells; cell++) totals[cell] = (totals[cell] as number) + (counts[cell] as number);
}
