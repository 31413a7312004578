import { describe, expect, it } from 'vitest';
import { addPairs } from './counting';
import { MetricsError } from './errors';

// The chunked path normally starts beyond 2^30 samples; a tiny chunk exercises the same code.
describe('addPairs over inputs longer than one chunk', () => {
  const yTrue = [0, 1, 2, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2];
  const yPred = [0, 2, 2, 1, 1, 0, 2, 0, 1, 1, 0, 1, 2];

  it('counts the same as one pass, for arrays and typed arrays', () => {
    const whole = new Float64Array(9);
    addPairs(whole, 3, yTrue, yPred);
    for (const [t, p] of [
      [yTrue, yPred],
      [Uint8Array.from(yTrue), Int32Array.from(yPred)],
    ] as const) {
      const chunked = new Float64Array(9);
      addPairs(chunked, 3, t, p, 4);
      expect(Array.from(chunked)).toEqual(Array.from(whole));
    }
    expect(whole.reduce((a, b) => a + b, 0)).toBe(yTrue.length);
  });

  it('leaves the totals untouched when a later chunk holds a bad label, and names its real index', () => {
    const totals = new Float64Array(9).fill(5);
    const bad = [...yPred];
    bad[10] = 3;
    expect(() => addPairs(totals, 3, yTrue, bad, 4)).toThrow(MetricsError);
    expect(() => addPairs(totals, 3, yTrue, bad, 4)).toThrow(/yPred\[10\] is 3/);
    expect(Array.from(totals)).toEqual(new Array(9).fill(5));
  });

  it('adds to existing totals', () => {
    const totals = new Float64Array(9).fill(2 ** 40);
    addPairs(totals, 3, yTrue, yPred, 5);
    expect(totals[0]).toBe(2 ** 40 + 3);
  });
});
