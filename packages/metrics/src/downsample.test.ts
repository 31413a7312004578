import { describe, expect, it } from 'vitest';
import { bucketize, downsample } from './downsample';

describe('downsample (LTTB)', () => {
  it('returns short series whole and keeps first and last points', () => {
    expect(downsample([3, 1, 2], 5)).toEqual([
      { x: 0, y: 3 },
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ]);
    const points = downsample(
      Array.from({ length: 1000 }, (_, i) => Math.sin(i / 50)),
      20,
    );
    expect(points).toHaveLength(20);
    expect(points[0]).toEqual({ x: 0, y: 0 });
    expect(points.at(-1)?.x).toBe(999);
    for (let i = 1; i < points.length; i++)
      expect((points[i] as { x: number }).x).toBeGreaterThan(points[i - 1]?.x ?? -1);
  });

  it('keeps a single spike that averaging would flatten', () => {
    const values = Array.from({ length: 5000 }, () => 1);
    values[2345] = 100;
    const points = downsample(values, 50);
    expect(points.some((p) => p.x === 2345 && p.y === 100)).toBe(true);
  });

  it('takes explicit points, skips non-finite values and handles tiny widths', () => {
    const series = [
      { x: 0, y: 1 },
      { x: 10, y: Number.NaN },
      { x: 20, y: 3 },
      { x: 30, y: 0 },
    ];
    expect(downsample(series, 10).map((p) => p.x)).toEqual([0, 20, 30]);
    expect(downsample(series, 2)).toEqual([
      { x: 0, y: 1 },
      { x: 30, y: 0 },
    ]);
    expect(downsample(series, 1)).toEqual([{ x: 0, y: 1 }]);
    expect(downsample(series, 0)).toEqual([]);
    expect(() => downsample([1, 2], 1.5)).toThrow(/width must be a whole number/);
  });
});

describe('bucketize', () => {
  it('splits into width near-equal buckets with min, max and mean', () => {
    const buckets = bucketize([1, 5, 2, 8, 3], 2);
    expect(buckets).toEqual([
      { start: 0, end: 2, min: 1, max: 5, mean: 3, count: 2 },
      { start: 2, end: 5, min: 2, max: 8, mean: 13 / 3, count: 3 },
    ]);
    expect(bucketize([1, 2], 10)).toHaveLength(2);
    const covered = bucketize(new Float32Array(1001), 37);
    expect(covered).toHaveLength(37);
    expect(covered.reduce((n, b) => n + (b.end - b.start), 0)).toBe(1001);
  });

  it('ignores non-finite values and marks empty buckets NaN', () => {
    expect(bucketize([Number.NaN, 4, Number.POSITIVE_INFINITY, Number.NaN], 2)).toEqual([
      { start: 0, end: 2, min: 4, max: 4, mean: 4, count: 1 },
      { start: 2, end: 4, min: Number.NaN, max: Number.NaN, mean: Number.NaN, count: 0 },
    ]);
  });
});
