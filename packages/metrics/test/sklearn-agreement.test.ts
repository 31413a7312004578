import { describe, expect, it } from 'vitest';
import {
  type ConfusionMatrix,
  ConfusionMatrixAccumulator,
  classificationReport,
  confusionMatrix,
  logLoss,
  topKAccuracy,
} from '../src/index';
import { type LabelCase, labelFixtures, probabilityFixtures } from './load-fixtures';

const TOLERANCE = 1e-12;

function expectClose(actual: readonly number[], expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((value, i) => {
    expect(
      Math.abs(value - (expected[i] as number)),
      `${what}[${i}]: ${value} vs ${expected[i]}`,
    ).toBeLessThanOrEqual(TOLERANCE);
  });
}

function expectMatrixClose(actual: number[][], expected: number[][], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((row, i) => {
    expectClose(row, expected[i] as number[], `${what}[${i}]`);
  });
}

/** Every number of the matrix against scikit-learn's. */
function expectAgreement(cm: ConfusionMatrix, fixture: LabelCase): void {
  expect(cm.rows()).toEqual(fixture.counts);
  expect(cm.total).toBe(fixture.yTrue.length);
  expectClose([cm.accuracy], [fixture.accuracy], 'accuracy');
  expectClose(cm.precision, fixture.precision, 'precision');
  expectClose(cm.recall, fixture.recall, 'recall');
  expectClose(cm.f1, fixture.f1, 'f1');
  expect(cm.support).toEqual(fixture.support);
  for (const [average, expected] of [
    [cm.macroAvg, fixture.macroAvg],
    [cm.weightedAvg, fixture.weightedAvg],
  ] as const) {
    expectClose(
      [average.precision, average.recall, average.f1],
      [expected.precision, expected.recall, expected.f1],
      'avg',
    );
    expect(average.support).toBe(fixture.yTrue.length);
  }
  expectMatrixClose(cm.normalized('row'), fixture.normalized.true, 'normalized row');
  expectMatrixClose(cm.normalized('column'), fixture.normalized.pred, 'normalized column');
  expectMatrixClose(cm.normalized('all'), fixture.normalized.all, 'normalized all');
}

describe('agreement with scikit-learn', () => {
  it('covers the cases the issue asks for', () => {
    const names = labelFixtures.cases.map((c) => c.name);
    const classCounts = new Set(labelFixtures.cases.map((c) => c.numClasses));
    for (const k of [2, 3, 10]) expect(classCounts.has(k)).toBe(true);
    expect(names.some((n) => n.includes('never predicted'))).toBe(true);
    expect(names.some((n) => n.includes('never in truth'))).toBe(true);
    expect(names.some((n) => n.includes('imbalance'))).toBe(true);
    expect(labelFixtures.cases.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(labelFixtures.cases.map((c) => [c.name, c] as const))('%s', (_name, fixture) => {
    const options = { numClasses: fixture.numClasses, zeroDivision: fixture.zeroDivision };

    it('matches every number from number[] input', () => {
      expectAgreement(confusionMatrix(fixture.yTrue, fixture.yPred, options), fixture);
    });

    it('matches from typed arrays, and batch by batch', () => {
      const yTrue = Uint8Array.from(fixture.yTrue);
      const yPred = Int32Array.from(fixture.yPred);
      expectAgreement(confusionMatrix(yTrue, Float32Array.from(fixture.yPred), options), fixture);
      const accumulator = new ConfusionMatrixAccumulator(fixture.numClasses, {
        zeroDivision: fixture.zeroDivision,
      });
      for (let start = 0; start < yTrue.length; start += 7) {
        accumulator.add(yTrue.subarray(start, start + 7), yPred.subarray(start, start + 7));
      }
      expectAgreement(accumulator.result(), fixture);
    });

    it('prints the same classification report, character for character', () => {
      const cm = confusionMatrix(fixture.yTrue, fixture.yPred, options);
      for (const report of fixture.reports) {
        const reportOptions = {
          digits: report.digits,
          ...(report.targetNames === null ? {} : { targetNames: report.targetNames }),
        };
        expect(classificationReport(cm, reportOptions)).toBe(report.text);
        expect(classificationReport(fixture.yTrue, fixture.yPred, { ...options, ...reportOptions })).toBe(
          report.text,
        );
      }
    });

    it('reports every undefined precision and recall', () => {
      const cm = confusionMatrix(fixture.yTrue, fixture.yPred, options);
      const neverPredicted = cm.predicted.flatMap((count, c) => (count === 0 ? [c] : []));
      const neverTrue = fixture.support.flatMap((count, c) => (count === 0 ? [c] : []));
      expect(cm.warnings.filter((w) => w.code === 'PRECISION_UNDEFINED').map((w) => w.classIndex)).toEqual(
        neverPredicted,
      );
      expect(cm.warnings.filter((w) => w.code === 'RECALL_UNDEFINED').map((w) => w.classIndex)).toEqual(
        neverTrue,
      );
      for (const warning of cm.warnings) {
        expect(warning.value).toBe(fixture.zeroDivision);
        const metric = warning.code === 'PRECISION_UNDEFINED' ? fixture.precision : fixture.recall;
        expect(metric[warning.classIndex]).toBe(fixture.zeroDivision);
      }
    });
  });

  describe.each(probabilityFixtures.topK.map((c) => [c.name, c] as const))(
    'top-k accuracy: %s',
    (_name, fixture) => {
      it.each(fixture.results.map((r) => [r.k, r.value] as const))('k=%i', (k, expected) => {
        expectClose([topKAccuracy(fixture.scores, fixture.yTrue, k)], [expected], 'rows');
        expectClose(
          [topKAccuracy(Float64Array.from(fixture.scores.flat()), fixture.yTrue, k)],
          [expected],
          'flat',
        );
      });
    },
  );

  describe.each(probabilityFixtures.logLoss.map((c) => [c.name, c] as const))(
    'log loss: %s',
    (_name, fixture) => {
      it.each(fixture.results.map((r) => [String(r.eps ?? 'auto'), r.reduction, r] as const))(
        'eps=%s reduction=%s',
        (_eps, _reduction, { eps, reduction, value }) => {
          const options = { reduction, ...(eps === null ? {} : { eps }) };
          const rows = logLoss(fixture.probabilities, fixture.yTrue, options);
          const flat = logLoss(fixture.probabilities.flat(), Int32Array.from(fixture.yTrue), options);
          // Relative: summed losses reach the hundreds.
          expect(Math.abs(rows - value) / Math.max(1, Math.abs(value))).toBeLessThanOrEqual(TOLERANCE);
          expect(flat).toBe(rows);
        },
      );
    },
  );
});
