import { bucketize } from './downsample';
import { MetricsError } from './errors';
import { assertNumericArray, describe } from './labels';

/** The eight block heights a sparkline is drawn with, lowest first. */
export const SPARK_BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** Fixed vertical scale for {@link sparkline}; each end defaults to the data's own min or max. */
export interface SparklineRange {
  /** Value drawn as the lowest block (smaller values are clamped). */
  min?: number;
  /** Value drawn as the full block (larger values are clamped). */
  max?: number;
}

/**
 * A one-line chart of `values` in Unicode block characters, e.g. `▁▂▄▆█▇` for a rising accuracy.
 * Each character is one value, or, when there are more values than `width`, the mean of one
 * {@link bucketize} bucket. The lowest value maps to `▁` and the highest to `█` unless `range` fixes the
 * scale (use `{ min: 0, max: 1 }` for accuracies, so that 0.97 does not look like 0). A flat series is
 * drawn at mid height; non-finite values become spaces.
 *
 * @param values - The series.
 * @param width - Maximum number of characters; default: one per value.
 * @param range - Fixed scale.
 * @returns A string of `min(values.length, width)` characters.
 * @throws {@link MetricsError} `INVALID_ARGUMENT` for a bad width or range.
 */
export function sparkline(values: ArrayLike<number>, width?: number, range: SparklineRange = {}): string {
  assertNumericArray(values, 'values');
  if (width !== undefined && (!Number.isInteger(width) || width < 0)) {
    throw new MetricsError('INVALID_ARGUMENT', `width must be a whole number >= 0, got ${describe(width)}.`);
  }
  const points =
    width === undefined || values.length <= width
      ? Array.from(values)
      : bucketize(values, width).map((bucket) => bucket.mean);
  let dataMin = Number.POSITIVE_INFINITY;
  let dataMax = Number.NEGATIVE_INFINITY;
  for (const value of points) {
    if (!Number.isFinite(value)) continue;
    if (value < dataMin) dataMin = value;
    if (value > dataMax) dataMax = value;
  }
  const min = range.min ?? dataMin;
  const max = range.max ?? dataMax;
  if (
    (range.min !== undefined && !Number.isFinite(min)) ||
    (range.max !== undefined && !Number.isFinite(max))
  ) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `range must hold finite numbers, got ${JSON.stringify(range)}.`,
    );
  }
  const top = SPARK_BLOCKS.length - 1;
  return points
    .map((value) => {
      if (!Number.isFinite(value)) return ' ';
      if (!(max > min)) return SPARK_BLOCKS[Math.floor(top / 2)];
      const level = Math.round(((value - min) / (max - min)) * top);
      return SPARK_BLOCKS[Math.min(top, Math.max(0, level))];
    })
    .join('');
}
