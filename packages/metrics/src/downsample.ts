import { MetricsError } from './errors';
import { assertNumericArray, describe } from './labels';

/** A point of a series: `x` is the sample index (or a given x), `y` its value. */
export interface Point {
  /** Position along the series. */
  readonly x: number;
  /** Value at that position. */
  readonly y: number;
}

/** A series: values at x = 0, 1, 2, ... or explicit points sorted by x. */
export type Series = ArrayLike<number> | readonly Point[];

/**
 * Reduces a long series to at most `width` points that keep its visual shape, with
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): the first and last points are kept; the points in
 * between are split into `width - 2` equal buckets and each bucket keeps the point forming the largest
 * triangle with the point kept before it and the mean of the next bucket. Peaks and dips survive, unlike
 * with averaging or taking every n-th point. The points returned are original points, in order.
 *
 * Non-finite values (a NaN loss after divergence, say) are left out rather than drawn.
 *
 * Use it for line charts (SVG, canvas). For a fixed number of columns with min/max bands, see
 * {@link bucketize}.
 *
 * @param series - Values (x = index) or points sorted by x.
 * @param width - Maximum number of points to return, a whole number >= 0. Series no longer than
 *   that come back whole; widths 1 and 2 keep the first, respectively first and last, points.
 * @throws {@link MetricsError} `INVALID_ARGUMENT` for a bad width or series.
 */
export function downsample(series: Series, width: number): Point[] {
  assertWidth(width);
  const points = finitePoints(series);
  const n = points.length;
  if (n <= width) return points;
  if (width === 0) return [];
  if (width === 1) return [points[0] as Point];
  const result: Point[] = [points[0] as Point];
  const interior = n - 2;
  const buckets = width - 2;
  // Bucket b holds interior points [bound(b), bound(b + 1)); integer arithmetic, so none is lost.
  const bound = (b: number): number => Math.floor((b * interior) / buckets) + 1;
  let previous = points[0] as Point;
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = bound(bucket);
    const end = bound(bucket + 1);
    // The next bucket's mean stands in for the point that will be chosen there; the last bucket looks
    // at the final point.
    const nextStart = end;
    const nextEnd = Math.min(bound(bucket + 2), n - 1);
    let meanX = 0;
    let meanY = 0;
    const nextCount = Math.max(1, nextEnd - nextStart);
    for (let i = nextStart; i < nextStart + nextCount; i++) {
      meanX += (points[i] as Point).x;
      meanY += (points[i] as Point).y;
    }
    meanX /= nextCount;
    meanY /= nextCount;
    let best = points[start] as Point;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const candidate = points[i] as Point;
      // Twice the triangle's area; the factor does not change which point wins.
      const area = Math.abs(
        (previous.x - meanX) * (candidate.y - previous.y) - (previous.x - candidate.x) * (meanY - previous.y),
      );
      if (area > bestArea) {
        bestArea = area;
        best = candidate;
      }
    }
    result.push(best);
    previous = best;
  }
  result.push(points[n - 1] as Point);
  return result;
}

/** Summary of consecutive series values that share one output column. */
export interface Bucket {
  /** Index of the first value in the bucket. */
  readonly start: number;
  /** Index after the last value in the bucket. */
  readonly end: number;
  /** Smallest finite value, NaN if none. */
  readonly min: number;
  /** Largest finite value, NaN if none. */
  readonly max: number;
  /** Mean of the finite values, NaN if none. */
  readonly mean: number;
  /** Number of finite values. */
  readonly count: number;
}

/**
 * Splits `values` into `width` consecutive, near-equal buckets (one per terminal column or pixel) and
 * summarises each with its min, max and mean over finite values. Draw the min–max range to keep spikes
 * visible, or the mean for a smooth line. Fewer values than `width` give one bucket per value.
 *
 * @example
 * ```ts
 * bucketize([1, 5, 2, 8], 2); // [{start: 0, end: 2, min: 1, max: 5, mean: 3, ...}, {start: 2, end: 4, min: 2, max: 8, ...}]
 * ```
 */
export function bucketize(values: ArrayLike<number>, width: number): Bucket[] {
  assertNumericArray(values, 'values');
  assertWidth(width);
  const n = values.length;
  const columns = Math.min(width, n);
  const buckets: Bucket[] = [];
  for (let column = 0; column < columns; column++) {
    const start = Math.floor((column * n) / columns);
    const end = Math.floor(((column + 1) * n) / columns);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      const value = values[i] as number;
      if (!Number.isFinite(value)) continue;
      if (value < min) min = value;
      if (value > max) max = value;
      sum += value;
      count++;
    }
    buckets.push(
      count === 0
        ? { start, end, min: Number.NaN, max: Number.NaN, mean: Number.NaN, count }
        : { start, end, min, max, mean: sum / count, count },
    );
  }
  return buckets;
}

function assertWidth(width: number): void {
  if (!Number.isInteger(width) || width < 0) {
    throw new MetricsError('INVALID_ARGUMENT', `width must be a whole number >= 0, got ${describe(width)}.`);
  }
}

function finitePoints(series: Series): Point[] {
  const points: Point[] = [];
  if (Array.isArray(series) && series.length > 0 && typeof series[0] === 'object') {
    for (const point of series as readonly Point[]) {
      if (Number.isFinite(point?.x) && Number.isFinite(point?.y)) points.push({ x: point.x, y: point.y });
    }
    return points;
  }
  assertNumericArray(series, 'series');
  for (let i = 0; i < series.length; i++) {
    const y = series[i] as number;
    if (Number.isFinite(y)) points.push({ x: i, y });
  }
  return points;
}
