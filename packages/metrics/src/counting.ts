import { type LabelArray, labelError } from './labels';

/** Tables up to this many cells (256 classes) reuse one scratch buffer instead of allocating. */
const MAX_SCRATCH_CELLS = 65536;
/** Samples counted per pass: small enough that no Int32 cell can overflow. */
const CHUNK = 2 ** 30;
let scratch = new Int32Array(100);

/**
 * Counts the pairs `(yTrue[i], yPred[i])` and adds them to `totals`, a row-major
 * `numClasses × numClasses` table (row = true class, column = predicted class), checking every label
 * in the same pass.
 *
 * Pairs are first counted in an Int32Array: V8 keeps Int32 increments in integer registers, which is
 * markedly faster than Float64 (or Uint32, which can leave the int32 range) increments. Only when
 * every label has passed are the counts added to `totals` (exact to 2^53), so a bad label leaves
 * `totals` untouched. Small tables reuse one scratch buffer: fresh typed arrays are costly to allocate
 * and collect, which shows when many small batches are counted.
 *
 * Both arrays must already have the same length. `chunk` exists for tests of the long-input path.
 */
export function addPairs(
  totals: Float64Array,
  numClasses: number,
  yTrue: LabelArray,
  yPred: LabelArray,
  chunk = CHUNK,
): void {
  const cells = numClasses * numClasses;
  let counts: Int32Array;
  if (cells > MAX_SCRATCH_CELLS) {
    counts = new Int32Array(cells);
  } else {
    if (scratch.length < cells) scratch = new Int32Array(cells);
    counts = scratch;
    counts.fill(0, 0, cells);
  }
  if (yTrue.length <= chunk) {
    countAll(counts, numClasses, yTrue, yPred, 0);
    addInto(totals, counts, cells);
    return;
  }
  // Over 2^30 samples (typed arrays only can be that long): count slices, flushing each into a
  // pending table before an Int32 cell could overflow.
  const pending = new Float64Array(cells);
  for (let start = 0; start < yTrue.length; start += chunk) {
    const end = Math.min(yTrue.length, start + chunk);
    countAll(counts, numClasses, slice(yTrue, start, end), slice(yPred, start, end), start);
    addInto(pending, counts, cells);
    counts.fill(0, 0, cells);
  }
  addInto(totals, pending, cells);
}

/**
 * The hot loop, over whole arrays so V8 can drop bounds checks. One unsigned conversion per label
 * rejects negatives, fractions, NaN and non-numbers at once. `offset` only serves error messages.
 */
function countAll(
  counts: Int32Array,
  numClasses: number,
  yTrue: LabelArray,
  yPred: LabelArray,
  offset: number,
): void {
  const n = yTrue.length;
  let i = 0;
  for (; i < n; i++) {
    const t = yTrue[i] as number;
    const p = yPred[i] as number;
    const row = t >>> 0;
    const column = p >>> 0;
    // Leaving the loop instead of throwing in it keeps the loop body free of calls.
    if (row !== t || column !== p || row >= numClasses || column >= numClasses) break;
    const cell = row * numClasses + column;
    counts[cell] = (counts[cell] as number) + 1;
  }
  if (i < n) throwLabelError(yTrue, yPred, i, numClasses, offset);
}

/** Kept out of the hot loop: says which of the two labels at `i` is bad, and why. */
function throwLabelError(
  yTrue: LabelArray,
  yPred: LabelArray,
  i: number,
  numClasses: number,
  offset: number,
): never {
  const t = yTrue[i] as number;
  if (t >>> 0 !== t || t >= numClasses) throw labelError('yTrue', offset + i, t, numClasses);
  throw labelError('yPred', offset + i, yPred[i] as number, numClasses);
}

function slice(labels: LabelArray, start: number, end: number): LabelArray {
  return ArrayBuffer.isView(labels)
    ? (labels as unknown as Uint8Array).subarray(start, end)
    : Array.prototype.slice.call(labels, start, end);
}

function addInto(totals: Float64Array, counts: ArrayLike<number>, cells: number): void {
  for (let cell = 0; cell < cells; cell++) totals[cell] = (totals[cell] as number) + (counts[cell] as number);
}
