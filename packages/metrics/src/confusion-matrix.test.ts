import { describe, expect, it } from 'vitest';
import { ConfusionMatrix, classificationReport, confusionMatrix, formatFixed } from './index';

describe('ConfusionMatrix', () => {
  // 3 classes; class 1 is never predicted, class 2 absorbs its samples.
  const cm = confusionMatrix([0, 0, 1, 1, 2, 2, 2], [0, 2, 2, 2, 2, 2, 0], {
    classNames: ['ant', 'bee', 'cat'],
  });

  it('counts pairs with rows = truth and columns = prediction', () => {
    expect(cm.rows()).toEqual([
      [1, 0, 1],
      [0, 0, 2],
      [1, 0, 2],
    ]);
    expect(cm.count(1, 2)).toBe(2);
    expect(Array.from(cm.counts)).toEqual([1, 0, 1, 0, 0, 2, 1, 0, 2]);
    expect(cm.total).toBe(7);
    expect(cm.correct).toBe(3);
    expect(cm.accuracy).toBe(3 / 7);
    expect(() => cm.count(3, 0)).toThrow(/trueClass is 3; classes are 0..2/);
  });

  it('derives per-class metrics with their definitions', () => {
    expect(cm.classes[0]).toEqual({
      index: 0,
      name: 'ant',
      precision: 1 / 2,
      recall: 1 / 2,
      f1: 0.5,
      support: 2,
      predicted: 2,
      truePositives: 1,
    });
    expect(cm.classes[2]).toMatchObject({ precision: 2 / 5, recall: 2 / 3, support: 3, predicted: 5 });
    expect(cm.classes[2]?.f1).toBeCloseTo((2 * (2 / 5) * (2 / 3)) / (2 / 5 + 2 / 3), 15);
  });

  it('reports the never-predicted class as precision 0 and says so', () => {
    expect(cm.precision[1]).toBe(0);
    expect(cm.warnings).toEqual([
      {
        code: 'PRECISION_UNDEFINED',
        classIndex: 1,
        className: 'bee',
        value: 0,
        message: 'Class "bee" was never predicted: its precision is 0/0, reported as 0.',
      },
    ]);
    const lenient = confusionMatrix([0, 1], [0, 0], { zeroDivision: 1 });
    expect(lenient.precision).toEqual([0.5, 1]);
    expect(lenient.f1[1]).toBe(0); // recall 0 still makes F1 0
    expect(lenient.warnings[0]?.message).toContain('reported as 1');
  });

  it('normalises by rows, columns or total, with empty lines as 0', () => {
    expect(cm.normalized('row')[1]).toEqual([0, 0, 1]);
    expect(cm.normalized('column').map((row) => row[1])).toEqual([0, 0, 0]);
    expect(cm.normalized('column')[2]).toEqual([1 / 2, 0, 2 / 5]);
    expect(cm.normalized('all')[2]).toEqual([1 / 7, 0, 2 / 7]);
    expect(() => cm.normalized('true' as never)).toThrow(/'row', 'column' or 'all'/);
  });

  it('lists the most confused pairs, largest first, ties in reading order', () => {
    expect(cm.mostConfused(2)).toEqual([
      { trueClass: 1, predictedClass: 2, trueName: 'bee', predictedName: 'cat', count: 2, rate: 1 },
      { trueClass: 0, predictedClass: 2, trueName: 'ant', predictedName: 'cat', count: 1, rate: 0.5 },
    ]);
    expect(cm.mostConfused()).toHaveLength(3); // only non-zero off-diagonal cells
    expect(confusionMatrix([0, 1], [0, 1]).mostConfused()).toEqual([]);
    expect(() => cm.mostConfused(-1)).toThrow(/limit/);
  });

  it('serialises to plain JSON and back', () => {
    const json = JSON.parse(JSON.stringify(cm));
    expect(json.counts).toEqual(cm.rows());
    expect(json.classNames).toEqual(['ant', 'bee', 'cat']);
    expect(json.classes[2].recall).toBe(2 / 3);
    const back = ConfusionMatrix.fromCounts(json.counts, { classNames: json.classNames });
    expect(back.toJSON()).toEqual(cm.toJSON());
  });

  it('handles the largest labels of a 256-class typed-array problem', () => {
    const big = confusionMatrix(Uint8Array.of(255, 0), Uint8Array.of(255, 255), { numClasses: 256 });
    expect(big.count(255, 255)).toBe(1);
    expect(big.count(0, 255)).toBe(1);
  });
});

describe('classificationReport', () => {
  it('lays the README example out like scikit-learn', () => {
    expect(classificationReport([0, 1, 2, 2], [0, 2, 2, 2], { classNames: ['a', 'b', 'c'] })).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '           a       1.00      1.00      1.00         1',
        '           b       0.00      0.00      0.00         1',
        '           c       0.67      1.00      0.80         2',
        '',
        '    accuracy                           0.75         4',
        '   macro avg       0.56      0.67      0.60         4',
        'weighted avg       0.58      0.75      0.65         4',
        '',
      ].join('\n'),
    );
  });

  it('widens the name column for long target names and for many digits', () => {
    const cm = confusionMatrix([0, 1], [0, 1]);
    const lines = classificationReport(cm, { targetNames: ['short', 'a much longer name'] }).split('\n');
    expect(lines[2]).toBe(`${' '.repeat(13)}short       1.00      1.00      1.00         1`);
    expect(lines[3]?.startsWith('a much longer name ')).toBe(true);
    expect(classificationReport(cm, { digits: 14 }).split('\n')[0]).toBe(
      `${' '.repeat(14)}  precision    recall  f1-score   support`,
    );
  });
});

describe('formatFixed (Python float formatting)', () => {
  it('rounds exact ties half to even like Python, unlike toFixed', () => {
    expect((0.125).toFixed(2)).toBe('0.13');
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(0.5, 0)).toBe('0');
    expect(formatFixed(1.5, 0)).toBe('2');
    expect(formatFixed(2.5, 0)).toBe('2');
  });

  it('rounds non-ties by the exact binary value', () => {
    expect(formatFixed(0.1 + 0.2, 17)).toBe('0.30000000000000004');
    expect(formatFixed(2.675, 2)).toBe('2.67'); // 2.675 is 2.67499999... in binary
    expect(formatFixed(1 / 3, 4)).toBe('0.3333');
    expect(formatFixed(0.9999, 2)).toBe('1.00');
  });

  it('prints large, tiny, negative and special values as Python does', () => {
    expect(formatFixed(1e22, 2)).toBe('10000000000000000000000.00');
    expect(formatFixed(5e-324, 3)).toBe('0.000');
    expect(formatFixed(-0, 2)).toBe('-0.00');
    expect(formatFixed(-0.001, 2)).toBe('-0.00');
    expect(formatFixed(-2.5, 0)).toBe('-2');
    expect(formatFixed(Number.NaN, 2)).toBe('nan');
    expect(formatFixed(Number.POSITIVE_INFINITY, 2)).toBe('inf');
    expect(formatFixed(Number.NEGATIVE_INFINITY, 2)).toBe('-inf');
  });
});
