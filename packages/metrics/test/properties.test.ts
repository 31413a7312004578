import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConfusionMatrix,
  ConfusionMatrixAccumulator,
  classificationReport,
  confusionMatrix,
  formatFixed,
  logLoss,
  topKAccuracy,
} from '../src/index';

/** k classes and n >= 1 paired labels in range, plus a permutation of the samples. */
const labelledSamples = fc.integer({ min: 1, max: 12 }).chain((numClasses) =>
  fc
    .array(fc.tuple(fc.nat(numClasses - 1), fc.nat(numClasses - 1)), { minLength: 1, maxLength: 300 })
    .chain((pairs) =>
      fc
        .shuffledSubarray(
          pairs.map((_, i) => i),
          { minLength: pairs.length, maxLength: pairs.length },
        )
        .map((order) => ({
          numClasses,
          yTrue: pairs.map(([t]) => t),
          yPred: pairs.map(([, p]) => p),
          order,
        })),
    ),
);

/** Every property runs a fixed number of cases from a fixed seed: the same cases on every run (a failure replays). */
const SEED = 20_240_601;
const RUNS = { numRuns: 300, seed: SEED };

function inUnitInterval(value: number): boolean {
  return value >= 0 && value <= 1;
}

describe('confusion matrix properties', () => {
  it('the counts sum to n, rows to the support and columns to the predictions', () => {
    fc.assert(
      fc.property(labelledSamples, ({ numClasses, yTrue, yPred }) => {
        const cm = confusionMatrix(yTrue, yPred, { numClasses });
        expect(cm.counts.reduce((a, b) => a + b, 0)).toBe(yTrue.length);
        expect(cm.total).toBe(yTrue.length);
        for (let c = 0; c < numClasses; c++) {
          expect(cm.support[c]).toBe(yTrue.filter((t) => t === c).length);
          expect(cm.predicted[c]).toBe(yPred.filter((p) => p === c).length);
        }
      }),
      RUNS,
    );
  });

  it('accuracy equals the trace over n, and the share of equal pairs', () => {
    fc.assert(
      fc.property(labelledSamples, ({ numClasses, yTrue, yPred }) => {
        const cm = confusionMatrix(yTrue, yPred, { numClasses });
        let trace = 0;
        for (let c = 0; c < numClasses; c++) trace += cm.count(c, c);
        expect(cm.accuracy).toBe(trace / yTrue.length);
        expect(cm.accuracy).toBe(yTrue.filter((t, i) => t === yPred[i]).length / yTrue.length);
      }),
      RUNS,
    );
  });

  it('streaming in batches of any size equals one shot', () => {
    fc.assert(
      fc.property(labelledSamples, fc.integer({ min: 1, max: 50 }), ({ numClasses, yTrue, yPred }, batch) => {
        const accumulator = new ConfusionMatrixAccumulator(numClasses);
        for (let start = 0; start < yTrue.length; start += batch) {
          accumulator.add(
            yTrue.slice(start, start + batch),
            Int16Array.from(yPred.slice(start, start + batch)),
          );
        }
        const streamed = accumulator.result();
        const oneShot = confusionMatrix(yTrue, yPred, { numClasses });
        expect(streamed.toJSON()).toEqual(oneShot.toJSON());
        expect(classificationReport(streamed)).toBe(classificationReport(oneShot));
      }),
      RUNS,
    );
  });

  it('every metric stays within [0, 1], whatever zeroDivision', () => {
    fc.assert(
      fc.property(
        labelledSamples,
        fc.constantFrom(0 as const, 1 as const),
        ({ numClasses, yTrue, yPred }, zd) => {
          const cm = confusionMatrix(yTrue, yPred, { numClasses, zeroDivision: zd });
          const values = [
            cm.accuracy,
            ...cm.precision,
            ...cm.recall,
            ...cm.f1,
            ...Object.values(cm.macroAvg).slice(0, 3),
            ...Object.values(cm.weightedAvg).slice(0, 3),
            ...cm.normalized('row').flat(),
            ...cm.normalized('column').flat(),
            ...cm.normalized('all').flat(),
            ...cm.mostConfused(100).map((pair) => pair.rate),
          ];
          expect(values.every(inUnitInterval)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('permuting the samples changes nothing', () => {
    fc.assert(
      fc.property(labelledSamples, ({ numClasses, yTrue, yPred, order }) => {
        const original = confusionMatrix(yTrue, yPred, { numClasses });
        const permuted = confusionMatrix(
          order.map((i) => yTrue[i] as number),
          order.map((i) => yPred[i] as number),
          { numClasses },
        );
        expect(permuted.toJSON()).toEqual(original.toJSON());
      }),
      RUNS,
    );
  });

  it('relabelling the classes permutes the per-class metrics accordingly', () => {
    fc.assert(
      fc.property(
        labelledSamples.chain((sample) =>
          fc
            .shuffledSubarray(
              Array.from({ length: sample.numClasses }, (_, i) => i),
              { minLength: sample.numClasses, maxLength: sample.numClasses },
            )
            .map((mapping) => ({ ...sample, mapping })),
        ),
        ({ numClasses, yTrue, yPred, mapping }) => {
          const original = confusionMatrix(yTrue, yPred, { numClasses });
          const renamed = confusionMatrix(
            yTrue.map((t) => mapping[t] as number),
            yPred.map((p) => mapping[p] as number),
            { numClasses },
          );
          expect(renamed.accuracy).toBe(original.accuracy);
          for (let c = 0; c < numClasses; c++) {
            const to = mapping[c] as number;
            expect(renamed.precision[to]).toBe(original.precision[c]);
            expect(renamed.recall[to]).toBe(original.recall[c]);
            expect(renamed.f1[to]).toBe(original.f1[c]);
          }
          expect(Math.abs(renamed.macroAvg.f1 - original.macroAvg.f1)).toBeLessThan(1e-12);
        },
      ),
      RUNS,
    );
  });

  it('fromCounts(rows()) rebuilds the same matrix', () => {
    fc.assert(
      fc.property(labelledSamples, ({ numClasses, yTrue, yPred }) => {
        const cm = confusionMatrix(yTrue, yPred, { numClasses });
        expect(ConfusionMatrix.fromCounts(cm.rows()).toJSON()).toEqual(cm.toJSON());
        expect(ConfusionMatrix.fromCounts(cm.counts).toJSON()).toEqual(cm.toJSON());
      }),
      { numRuns: 100, seed: SEED },
    );
  });
});

describe('probability metric properties', () => {
  const probabilityRows = fc.integer({ min: 2, max: 10 }).chain((numClasses) =>
    fc
      .array(
        fc.tuple(
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
            minLength: numClasses,
            maxLength: numClasses,
          }),
          fc.nat(numClasses - 1),
        ),
        { minLength: 1, maxLength: 60 },
      )
      .map((samples) => ({
        numClasses,
        rows: samples.map(([row]) => row),
        yTrue: samples.map(([, t]) => t),
      })),
  );

  it('top-k accuracy lies in [0, 1], never decreases with k, and is 1 at k = numClasses', () => {
    fc.assert(
      fc.property(probabilityRows, ({ numClasses, rows, yTrue }) => {
        let previous = 0;
        for (let k = 1; k <= numClasses; k++) {
          const value = topKAccuracy(rows, yTrue, k);
          expect(inUnitInterval(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(previous);
          previous = value;
        }
        expect(previous).toBe(1);
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('log loss is finite, >= 0, bounded by -log(eps), and the sum is n times the mean', () => {
    fc.assert(
      fc.property(probabilityRows, ({ rows, yTrue }) => {
        const mean = logLoss(rows, yTrue);
        expect(Number.isFinite(mean)).toBe(true);
        expect(mean).toBeGreaterThanOrEqual(0);
        // Worst case: the true class clipped to eps while the others sit at 1 - eps.
        expect(mean).toBeLessThanOrEqual(-Math.log(Number.EPSILON / (rows[0] as number[]).length) + 1e-9);
        const sum = logLoss(rows, yTrue, { reduction: 'sum' });
        expect(Math.abs(sum - mean * yTrue.length)).toBeLessThanOrEqual(1e-9 * Math.max(1, sum));
      }),
      { numRuns: 200, seed: SEED },
    );
  });
});

describe('formatFixed properties', () => {
  /** Whether x · 10^digits lies exactly halfway between two integers (checked with exact BigInt arithmetic). */
  function isExactTie(x: number, digits: number): boolean {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, Math.abs(x));
    const bits = view.getBigUint64(0);
    const exponentBits = Number((bits >> 52n) & 0x7ffn);
    const mantissa = (bits & 0xfffffffffffffn) | (exponentBits === 0 ? 0n : 1n << 52n);
    const exponent = (exponentBits === 0 ? -1074 : exponentBits - 1075) + 1; // times 2: test 2·x·10^d odd
    const scaled = mantissa * 10n ** BigInt(digits);
    if (exponent >= 0) return false;
    const shift = BigInt(-exponent);
    return scaled % (1n << shift) === 0n && (scaled >> shift) % 2n === 1n;
  }

  it('agrees with toFixed except on exact ties, where it rounds half to even', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 20 }),
        (x, digits) => {
          const ours = formatFixed(x, digits);
          const js = x.toFixed(digits);
          if (ours === js || (Object.is(x, -0) && ours === `-${js}`)) return;
          expect(isExactTie(x, digits)).toBe(true);
          // toFixed rounded away from zero; the even neighbour is one unit in the last place closer to zero.
          const lastDigit = Number(ours.at(-1));
          expect(lastDigit % 2).toBe(0);
        },
      ),
      { numRuns: 5000, seed: SEED },
    );
  });

  it('handles the ties of dyadic fractions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4096 }), fc.integer({ min: 1, max: 6 }), (numerator, power) => {
        const x = numerator / 2 ** power; // exactly representable, often a tie
        const ours = formatFixed(x, power - 1);
        expect(Math.abs(Number(ours) - x)).toBeLessThanOrEqual(0.5 * 10 ** -(power - 1) + 1e-12);
        if (isExactTie(x, power - 1)) expect(Number(ours.replace('.', '').at(-1)) % 2).toBe(0);
      }),
      { numRuns: 2000, seed: SEED },
    );
  });
});
