import { describe, expect, it } from 'vitest';
import { sparkline } from './sparkline';

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
