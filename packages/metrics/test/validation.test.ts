import { describe, expect, it } from 'vitest';
import {
  ConfusionMatrix,
  ConfusionMatrixAccumulator,
  classificationReport,
  confusionMatrix,
  logLoss,
  MetricsError,
  type MetricsErrorCode,
  topKAccuracy,
} from '../src/index';

/** Runs `action`, expecting a MetricsError with `code` whose message contains every `fragment`. */
function expectMetricsError(action: () => unknown, code: MetricsErrorCode, ...fragments: string[]): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MetricsError);
  const error = caught as MetricsError;
  expect(error.code).toBe(code);
  expect(error.name).toBe('MetricsError');
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

describe('confusionMatrix input validation', () => {
  it('rejects mismatched lengths, naming both', () => {
    expectMetricsError(
      () => confusionMatrix([0, 1, 1], [0, 1]),
      'LENGTH_MISMATCH',
      'yTrue has 3',
      'yPred has 2',
    );
  });

  it('rejects empty input', () => {
    expectMetricsError(
      () => confusionMatrix([], [], { numClasses: 3 }),
      'EMPTY_INPUT',
      'at least one sample',
    );
    expectMetricsError(() => confusionMatrix(new Uint8Array(0), new Uint8Array(0)), 'EMPTY_INPUT');
  });

  it('rejects labels outside the class range, with index, value and the fix', () => {
    expectMetricsError(
      () => confusionMatrix([0, 1, 2], [0, 1, 10], { numClasses: 10 }),
      'LABEL_OUT_OF_RANGE',
      'yPred[2] is 10',
      '0..9',
      'numClasses >= 11',
    );
    expectMetricsError(
      () => confusionMatrix([0, -1], [0, 0], { numClasses: 2 }),
      'LABEL_OUT_OF_RANGE',
      'yTrue[1] is -1',
    );
    expectMetricsError(
      () => confusionMatrix([0, -1], [0, 0]),
      'LABEL_OUT_OF_RANGE',
      'yTrue[1] is -1',
      '0 to 32767',
    );
    expectMetricsError(
      () => confusionMatrix([0, 2 ** 32 + 1], [0, 1]),
      'LABEL_OUT_OF_RANGE',
      'yTrue[1] is 4294967297',
    );
    expectMetricsError(() => confusionMatrix([0, 1], [0, 40000]), 'LABEL_OUT_OF_RANGE', 'yPred[1] is 40000');
    expectMetricsError(
      () => confusionMatrix(Int32Array.of(0, 2 ** 31 - 1), Int32Array.of(0, 0), { numClasses: 3 }),
      'LABEL_OUT_OF_RANGE',
    );
  });

  it('rejects non-integer labels: fractions, NaN, strings, holes', () => {
    expectMetricsError(
      () => confusionMatrix([0, 1], [0, 0.5], { numClasses: 2 }),
      'NON_INTEGER_LABEL',
      'yPred[1] is 0.5',
    );
    expectMetricsError(
      () => confusionMatrix(Float32Array.of(0, Number.NaN), [0, 0]),
      'NON_INTEGER_LABEL',
      'yTrue[1] is NaN',
    );
    expectMetricsError(
      () => confusionMatrix([0, '1' as unknown as number], [0, 1], { numClasses: 2 }),
      'NON_INTEGER_LABEL',
      'yTrue[1] is "1"',
    );
    const holey = new Array<number>(3); // a hole at index 1, as left by `arr.length = 3` or `delete`
    holey[0] = 0;
    holey[2] = 1;
    expectMetricsError(
      () => confusionMatrix(holey, [0, 1, 1], { numClasses: 2 }),
      'NON_INTEGER_LABEL',
      'yTrue[1]',
    );
  });

  it('rejects what is not an array', () => {
    expectMetricsError(
      () => confusionMatrix('0101' as never, [0, 1, 0, 1]),
      'INVALID_ARGUMENT',
      'yTrue must be',
    );
    expectMetricsError(
      () => confusionMatrix([0], BigInt64Array.of(0n) as never),
      'INVALID_ARGUMENT',
      'BigInt64Array',
    );
  });

  it('rejects bad options', () => {
    expectMetricsError(() => confusionMatrix([0], [0], { numClasses: 0 }), 'INVALID_ARGUMENT', 'numClasses');
    expectMetricsError(
      () => confusionMatrix([0], [0], { numClasses: 2.5 }),
      'INVALID_ARGUMENT',
      'numClasses',
    );
    expectMetricsError(
      () => confusionMatrix([0], [0], { numClasses: 3, classNames: ['a', 'b'] }),
      'INVALID_ARGUMENT',
      'classNames has 2 names but numClasses is 3',
    );
    expectMetricsError(
      () => confusionMatrix([0], [0], { zeroDivision: 0.5 as never }),
      'INVALID_ARGUMENT',
      'zeroDivision',
    );
    expectMetricsError(
      () => confusionMatrix([0], [0], { classNames: ['a', 3 as never] }),
      'INVALID_ARGUMENT',
      'classNames[1]',
    );
  });

  it('infers the number of classes from the labels, or from the names', () => {
    expect(confusionMatrix([0, 3], [1, 1]).numClasses).toBe(4);
    expect(confusionMatrix([0, 1], [1, 1], { classNames: ['a', 'b', 'c'] }).numClasses).toBe(3);
  });
});

describe('ConfusionMatrixAccumulator', () => {
  it('rejects a bad batch whole and keeps earlier batches', () => {
    const accumulator = new ConfusionMatrixAccumulator(3);
    accumulator.add([0, 1, 2], [0, 1, 1]);
    expectMetricsError(
      () => accumulator.add([0, 1, 2, 0], [0, 1, 3, 0]),
      'LABEL_OUT_OF_RANGE',
      'yPred[2] is 3',
    );
    expectMetricsError(() => accumulator.add([0, 1], [0]), 'LENGTH_MISMATCH');
    expect(accumulator.total).toBe(3);
    expect(accumulator.result().rows()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
  });

  it('accepts empty batches, refuses an empty result, and resets', () => {
    const accumulator = new ConfusionMatrixAccumulator(2, { classNames: ['no', 'yes'] });
    accumulator.add([], []);
    expectMetricsError(() => accumulator.result(), 'EMPTY_INPUT', 'call add() first');
    accumulator.add([1], [1]).add([0], [1]);
    const snapshot = accumulator.result();
    accumulator.add([0], [0]);
    expect(snapshot.total).toBe(2); // a snapshot does not move
    expect(snapshot.classNames).toEqual(['no', 'yes']);
    accumulator.reset();
    expect(accumulator.total).toBe(0);
    expectMetricsError(() => accumulator.result(), 'EMPTY_INPUT');
  });

  it('validates its class count and names up front', () => {
    expectMetricsError(() => new ConfusionMatrixAccumulator(-1), 'INVALID_ARGUMENT', 'numClasses');
    expectMetricsError(
      () => new ConfusionMatrixAccumulator(3, { classNames: ['a'] }),
      'INVALID_ARGUMENT',
      'classNames',
    );
    expectMetricsError(
      () => new ConfusionMatrixAccumulator(2, { classNames: ['a', null as never] }),
      'INVALID_ARGUMENT',
      'classNames[1] is null',
    );
  });
});

describe('ConfusionMatrix.fromCounts validation', () => {
  it('rejects tables that are not square, negative or fractional counts, and all-zero tables', () => {
    expectMetricsError(() => ConfusionMatrix.fromCounts([1, 2, 3]), 'INVALID_ARGUMENT', 'square');
    expectMetricsError(
      () => ConfusionMatrix.fromCounts([[1, 2], [3]]),
      'INVALID_ARGUMENT',
      'counts[1] has 1',
    );
    expectMetricsError(
      () =>
        ConfusionMatrix.fromCounts([
          [1, -2],
          [3, 4],
        ]),
      'INVALID_ARGUMENT',
      'counts[0][1] is -2',
    );
    expectMetricsError(
      () => ConfusionMatrix.fromCounts([1, 2, 3.5, 4]),
      'INVALID_ARGUMENT',
      'counts[1][0] is 3.5',
    );
    expectMetricsError(
      () =>
        ConfusionMatrix.fromCounts([
          [0, 0],
          [0, 0],
        ]),
      'EMPTY_INPUT',
    );
    expectMetricsError(
      () => ConfusionMatrix.fromCounts([1, 0, 0, 1], { numClasses: 3 }),
      'INVALID_ARGUMENT',
      '2 × 2',
    );
  });
});

describe('classificationReport validation', () => {
  const cm = confusionMatrix([0, 1], [0, 1]);
  it('rejects bad digits and a wrong number of target names', () => {
    expectMetricsError(() => classificationReport(cm, { digits: -1 }), 'INVALID_ARGUMENT', 'digits');
    expectMetricsError(() => classificationReport(cm, { digits: 1.5 }), 'INVALID_ARGUMENT', 'digits');
    expectMetricsError(
      () => classificationReport(cm, { targetNames: ['a'] }),
      'INVALID_ARGUMENT',
      'targetNames has 1',
    );
  });
});

describe('probability metrics validation', () => {
  const probabilities = [
    [0.2, 0.8],
    [0.6, 0.4],
  ];
  it('rejects shape mismatches', () => {
    expectMetricsError(() => logLoss(probabilities, [0]), 'LENGTH_MISMATCH', '2 rows', '1 labels');
    expectMetricsError(() => logLoss([0.2, 0.8, 0.6], [0, 1]), 'LENGTH_MISMATCH', '3 values for 2 samples');
    expectMetricsError(() => topKAccuracy([[0.2, 0.8], [1]], [0, 1]), 'LENGTH_MISMATCH', 'scores[1] has 1');
    expectMetricsError(() => topKAccuracy(probabilities, []), 'EMPTY_INPUT');
  });

  it('rejects probabilities outside [0, 1] or NaN, suggesting softmax', () => {
    expectMetricsError(
      () => logLoss([[2.5, -1]], [0]),
      'INVALID_PROBABILITY',
      'scores[0][0] is 2.5',
      'softmax',
    );
    expectMetricsError(() => logLoss([[0.5, Number.NaN]], [0]), 'INVALID_PROBABILITY', 'scores[0][1] is NaN');
    expectMetricsError(
      () => topKAccuracy([[0.5, Number.NaN]], [0]),
      'INVALID_PROBABILITY',
      'scores[0][1] is NaN',
    );
  });

  it('rejects bad labels, k, eps and reduction', () => {
    expectMetricsError(() => logLoss(probabilities, [0, 2]), 'LABEL_OUT_OF_RANGE', 'yTrue[1] is 2');
    expectMetricsError(() => topKAccuracy(probabilities, [0, 0.5]), 'NON_INTEGER_LABEL');
    expectMetricsError(() => topKAccuracy(probabilities, [0, 1], 0), 'INVALID_ARGUMENT', 'k must be');
    expectMetricsError(() => logLoss(probabilities, [0, 1], { eps: 0.7 }), 'INVALID_ARGUMENT', 'eps');
    expectMetricsError(
      () => logLoss(probabilities, [0, 1], { reduction: 'max' as never }),
      'INVALID_ARGUMENT',
    );
  });
});
