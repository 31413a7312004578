import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, MetricsError, maxCalibrationError, reliabilityDiagram } from './index';

interface CalibrationCase {
  name: string;
  probabilities: number[][];
  yTrue: number[];
  results: {
    bins: number;
    ece: number;
    mce: number;
    accuracy: number;
    confidence: number;
    edges: number[];
    perBin: { count: number; confidence: number | null; accuracy: number | null }[];
  }[];
}

const fixtures = JSON.parse(
  readFileSync(new URL('../test/fixtures/numpy-calibration.json', import.meta.url), 'utf8'),
) as { cases: CalibrationCase[] };

/** A seeded uniform generator (mulberry32), so the synthetic models are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two-class rows [c, 1 − c] (c ≥ 0.5) with the true class 0 in exactly `rightOf(c)` of the `count` rows. */
function twoClassRows(confidence: number, count: number, right: number) {
  const probabilities = Array.from({ length: count }, () => [confidence, 1 - confidence]);
  const yTrue = Array.from({ length: count }, (_, i) => (i < right ? 0 : 1));
  return { probabilities, yTrue };
}

describe('agreement with the NumPy reference (Guo et al. 2017)', () => {
  it('covers many classes, few classes, bin edges, ties and unnormalised rows', () => {
    expect(fixtures.cases.length).toBeGreaterThanOrEqual(6);
    expect(fixtures.cases.some((c) => c.name.includes('edges'))).toBe(true);
  });

  for (const fixture of fixtures.cases) {
    for (const expected of fixture.results) {
      it(`${fixture.name}, ${expected.bins} bins`, () => {
        const diagram = reliabilityDiagram(fixture.probabilities, fixture.yTrue, { bins: expected.bins });
        expect(Math.abs(diagram.ece - expected.ece)).toBeLessThan(1e-12);
        expect(Math.abs(diagram.mce - expected.mce)).toBeLessThan(1e-12);
        expect(Math.abs(diagram.accuracy - expected.accuracy)).toBeLessThan(1e-12);
        expect(Math.abs(diagram.confidence - expected.confidence)).toBeLessThan(1e-12);
        expect(diagram.bins.map((b) => b.lower)).toEqual(expected.edges.slice(0, -1));
        expect(diagram.bins.map((b) => b.upper)).toEqual(expected.edges.slice(1));
        diagram.bins.forEach((bin, i) => {
          const reference = expected.perBin[i] as (typeof expected.perBin)[number];
          expect(bin.count).toBe(reference.count);
          if (reference.confidence === null) {
            expect(bin.confidence).toBeNull();
            expect(bin.accuracy).toBeNull();
          } else {
            expect(Math.abs((bin.confidence as number) - reference.confidence)).toBeLessThan(1e-12);
            expect(Math.abs((bin.accuracy as number) - (reference.accuracy as number))).toBeLessThan(1e-12);
          }
        });
      });
    }
  }
});

describe('calibration error by construction', () => {
  it('is 0 for a model that is right exactly as often as it says', () => {
    // 70% sure and right 7 times in 10; 90% sure and right 9 times in 10; 60% sure and right 3 times in 5.
    const parts = [twoClassRows(0.7, 10, 7), twoClassRows(0.9, 20, 18), twoClassRows(0.6, 5, 3)];
    const probabilities = parts.flatMap((p) => p.probabilities);
    const yTrue = parts.flatMap((p) => p.yTrue);
    expect(expectedCalibrationError(probabilities, yTrue, { bins: 10 })).toBeLessThan(1e-12);
    expect(maxCalibrationError(probabilities, yTrue, { bins: 10 })).toBeLessThan(1e-12);
  });

  it('is about 0 for a large sample from a calibrated model', () => {
    const next = random(42);
    const n = 200_000;
    const probabilities = new Float64Array(n * 2);
    const yTrue = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const confidence = 0.5 + 0.5 * next();
      probabilities[2 * i] = confidence;
      probabilities[2 * i + 1] = 1 - confidence;
      yTrue[i] = next() < confidence ? 0 : 1; // right with probability = confidence
    }
    const diagram = reliabilityDiagram(probabilities, yTrue, { bins: 10 });
    expect(diagram.ece).toBeLessThan(0.005);
    expect(Math.abs(diagram.accuracy - diagram.confidence)).toBeLessThan(0.005);
  });

  it('gives the hand-computed error of an over-confident model', () => {
    // 40 samples at 0.95 right 30 times (gap 0.2), 60 samples at 0.75 right 39 times (gap 0.1), 15 bins:
    // ECE = 0.4·0.2 + 0.6·0.1 = 0.14, MCE = 0.2.
    const parts = [twoClassRows(0.95, 40, 30), twoClassRows(0.75, 60, 39)];
    const diagram = reliabilityDiagram(
      parts.flatMap((p) => p.probabilities),
      parts.flatMap((p) => p.yTrue),
    );
    expect(diagram.ece).toBeCloseTo(0.14, 12);
    expect(diagram.mce).toBeCloseTo(0.2, 12);
    expect(diagram.bins.filter((b) => b.count > 0).map((b) => [b.count, b.confidence, b.accuracy])).toEqual([
      [60, 0.75, 0.65],
      [40, 0.95, 0.75],
    ]);
    expect(diagram.confidence).toBeGreaterThan(diagram.accuracy);
  });

  it('reads flat row-major arrays like rows', () => {
    const rows = [
      [0.1, 0.9],
      [0.8, 0.2],
      [0.45, 0.55],
    ];
    const flat = Float64Array.from(rows.flat());
    expect(reliabilityDiagram(flat, [1, 1, 0], { bins: 5 })).toEqual(
      reliabilityDiagram(rows, [1, 1, 0], { bins: 5 }),
    );
  });
});

describe('validation', () => {
  it('rejects a bad bin count, out-of-range probabilities and bad labels', () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as MetricsError).code;
      }
      return 'none';
    };
    expect(code(() => reliabilityDiagram([[1, 0]], [0], { bins: 0 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => reliabilityDiagram([[1, 0]], [0], { bins: 2.5 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => reliabilityDiagram([[1.5, 0]], [0]))).toBe('INVALID_PROBABILITY');
    expect(code(() => reliabilityDiagram([[Number.NaN, 0]], [0]))).toBe('INVALID_PROBABILITY');
    expect(code(() => reliabilityDiagram([[1, 0]], [2]))).toBe('LABEL_OUT_OF_RANGE');
    expect(code(() => reliabilityDiagram([], []))).toBe('EMPTY_INPUT');
    expect(() => reliabilityDiagram([[1.5, 0]], [0])).toThrow(MetricsError);
  });
});
