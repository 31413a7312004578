import { type LabelArray, labelError } from './labels';

/**
 * Counts the pairs `(yTrue[i], yPred[i])` into a fresh row-major `numClasses × numClasses` table
 * (row = true class, column = predicted class), checking every label in the same pass.
 *
 * The table is a Uint32Array: integer increments are markedly faster than Float64 ones, and one call
 * cannot overflow it because no JavaScript array holds more than 2^32 - 1 elements. Throwing on a bad
 * label leaves nothing behind: the caller never sees a partial table.
 *
 * Both arrays must already have the same length.
 */
export function countPairs(numClasses: number, yTrue: LabelArray, yPred: LabelArray): Uint32Array {
  const counts = new Uint32Array(numClasses * numClasses);
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
  return counts;
}
