/**
 * Sums like NumPy's `np.sum` on a float64 array: pairwise summation with eight running partial sums
 * in blocks of up to 128 values. Using the same order of additions as scikit-learn's averages makes
 * macro and weighted averages bit-identical, so reports round the same way even on exact ties.
 */
export function pairwiseSum(values: ArrayLike<number>, start = 0, end = values.length): number {
  const n = end - start;
  if (n < 8) {
    let sum = 0;
    for (let i = start; i < end; i++) sum += values[i] as number;
    return sum;
  }
  if (n <= 128) {
    let r0 = values[start] as number;
    let r1 = values[start + 1] as number;
    let r2 = values[start + 2] as number;
    let r3 = values[start + 3] as number;
    let r4 = values[start + 4] as number;
    let r5 = values[start + 5] as number;
    let r6 = values[start + 6] as number;
    let r7 = values[start + 7] as number;
    const blockEnd = start + n - (n % 8);
    let i = start + 8;
    for (; i < blockEnd; i += 8) {
      r0 += values[i] as number;
      r1 += values[i + 1] as number;
      r2 += values[i + 2] as number;
      r3 += values[i + 3] as number;
      r4 += values[i + 4] as number;
      r5 += values[i + 5] as number;
      r6 += values[i + 6] as number;
      r7 += values[i + 7] as number;
    }
    let sum = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < end; i++) sum += values[i] as number;
    return sum;
  }
  // Split near the middle on a multiple of 8, as NumPy does.
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, start + half) + pairwiseSum(values, start + half, end);
}

/** Arithmetic mean in NumPy's order of operations (`np.mean`). */
export function numpyMean(values: ArrayLike<number>): number {
  return pairwiseSum(values) / values.length;
}

/** Weighted mean in NumPy's order of operations (`np.average(values, weights=weights)`). */
export function numpyWeightedMean(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  const products: number[] = [];
  for (let i = 0; i < values.length; i++) products.push((values[i] as number) * (weights[i] as number));
  return pairwiseSum(products) / pairwiseSum(weights);
}
