import { describe, expect, it } from 'vitest';
import {
  bucketize,
  colorAt,
  contrastingTextColor,
  diverging,
  downsample,
  formatTick,
  MetricsError,
  niceDomain,
  niceTicks,
  type Rgb,
  rgbToHex,
  sparkline,
  tickStep,
  viridis,
} from '../src/index';
import { viridisTable } from './load-fixtures';

/** WCAG relative luminance, to check lightness ordering of the ramps. */
function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

describe('colour ramps', () => {
  it('viridis stays within 1 level per channel of matplotlib’s 256-entry table', () => {
    let worst = 0;
    viridisTable.forEach((expected, i) => {
      const actual = viridis(i / 255);
      for (let c = 0; c < 3; c++)
        worst = Math.max(worst, Math.abs((actual[c] as number) - (expected[c] as number)));
    });
    expect(worst).toBeLessThanOrEqual(1);
    expect(viridis(0)).toEqual(viridisTable[0]);
    expect(viridis(1)).toEqual(viridisTable[255]);
  });

  it('viridis gets lighter monotonically, so it reads in greyscale', () => {
    for (let i = 1; i <= 100; i++)
      expect(luminance(viridis(i / 100))).toBeGreaterThan(luminance(viridis((i - 1) / 100)));
  });

  it('diverging is blue → near-white → red with lightness symmetric about the middle', () => {
    const [r0, , b0] = diverging(0);
    const [r1, , b1] = diverging(1);
    expect(b0).toBeGreaterThan(r0);
    expect(r1).toBeGreaterThan(b1);
    expect(Math.min(...diverging(0.5))).toBeGreaterThan(235);
    for (let i = 0; i <= 50; i++) {
      const left = luminance(diverging(0.5 - i / 100));
      const right = luminance(diverging(0.5 + i / 100));
      expect(Math.abs(left - right)).toBeLessThan(0.02);
      if (i > 0) expect(left).toBeLessThan(luminance(diverging(0.5 - (i - 1) / 100)));
    }
  });

  it('ramps clamp out-of-range input, treat NaN as 0 and return whole channels', () => {
    expect(viridis(-3)).toEqual(viridis(0));
    expect(viridis(7)).toEqual(viridis(1));
    expect(diverging(Number.NaN)).toEqual(diverging(0));
    for (const t of [0, 0.13, 0.5, 0.77, 1]) {
      for (const channel of [...viridis(t), ...diverging(t)]) {
        expect(Number.isInteger(channel) && channel >= 0 && channel <= 255).toBe(true);
      }
    }
  });

  it('maps values through a domain, formats hex and picks readable text', () => {
    expect(colorAt(50, 0, 100)).toEqual(viridis(0.5));
    expect(colorAt(-2, -2, 2, diverging)).toEqual(diverging(0));
    expect(colorAt(5, 5, 5)).toEqual(viridis(0));
    expect(rgbToHex([68, 1, 84])).toBe('#440154');
    expect(rgbToHex([300, -4, 15.6])).toBe('#ff0010');
    expect(contrastingTextColor(viridis(0))).toBe('#ffffff');
    expect(contrastingTextColor(viridis(1))).toBe('#000000');
    expect(contrastingTextColor(diverging(0.5))).toBe('#000000');
  });
});

describe('niceTicks', () => {
  it('gives round, exact values covering the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 1, 10)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(niceTicks(0.013, 2.47, 4)).toEqual([0.5, 1, 1.5, 2]);
    expect(niceTicks(0, 60000, 5)).toEqual([0, 10000, 20000, 30000, 40000, 50000, 60000]);
    expect(niceTicks(-1, 1, 4)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(0.9, 0.98, 4)).toEqual([0.9, 0.92, 0.94, 0.96, 0.98]);
  });

  it('handles reversed, equal and degenerate requests', () => {
    expect(niceTicks(1, 0, 5)).toEqual(niceTicks(0, 1, 5));
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(niceTicks(0, 1, 0)).toEqual([]);
    expect(() => niceTicks(0, Number.POSITIVE_INFINITY)).toThrow(MetricsError);
    expect(() => niceTicks(Number.NaN, 1)).toThrow(/min must be a finite number/);
  });

  it('gives about the requested number of ticks over many ranges', () => {
    for (let i = 0; i < 200; i++) {
      const min = Math.sin(i) * 10 ** ((i % 7) - 3);
      const max = min + Math.abs(Math.cos(i * 1.7)) * 10 ** ((i % 5) - 2) + 1e-6;
      const ticks = niceTicks(min, max, 6);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(13);
      expect(ticks[0]).toBeGreaterThanOrEqual(min - 1e-12);
      expect(ticks.at(-1)).toBeLessThanOrEqual(max + 1e-12);
      const step = tickStep(min, max, 6);
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-12);
      expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
    }
  });

  it('extends a domain to ticks and formats labels with just enough decimals', () => {
    expect(niceDomain(0.013, 2.47, 4)).toEqual([0, 2.5]);
    expect(niceDomain(0.21, 0.38, 5)).toEqual([0.2, 0.4]);
    expect(tickStep(0, 1, 5)).toBe(0.2);
    expect(formatTick(0.30000000000000004, 0.1)).toBe('0.3');
    expect(formatTick(2, 0.5)).toBe('2.0');
    expect(formatTick(20000, 5000)).toBe('20000');
    expect(formatTick(-1e-17, 0.1)).toBe('0.0');
  });
});

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

describe('sparkline', () => {
  it('draws lowest to highest as ▁ to █', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5])).toBe('▄▄▄');
    expect(sparkline([])).toBe('');
  });

  it('uses a fixed range when given, clamping outside values', () => {
    expect(sparkline([0.9, 0.95, 1], undefined, { min: 0, max: 1 })).toBe('▇██');
    expect(sparkline([-1, 2], undefined, { min: 0, max: 1 })).toBe('▁█');
    expect(() => sparkline([1], undefined, { min: Number.NaN })).toThrow(/range/);
  });

  it('averages down to the width and leaves gaps for non-finite values', () => {
    const line = sparkline(
      Array.from({ length: 1000 }, (_, i) => i),
      10,
    );
    // Bucket means 49.5, 149.5, ..., 949.5 map to levels round(j · 7/9).
    expect(line).toBe('▁▂▃▃▄▅▆▆▇█');
    expect([...line]).toHaveLength(10);
    expect(sparkline([1, Number.NaN, 3])).toBe('▁ █');
    expect(() => sparkline([1], -1)).toThrow(/width/);
  });
});
