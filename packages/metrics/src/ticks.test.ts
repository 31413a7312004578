import { describe, expect, it } from 'vitest';
import { MetricsError } from './errors';
import { formatTick, niceDomain, niceTicks, tickStep } from './ticks';

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
