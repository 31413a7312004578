import { describe, expect, it } from 'vitest';
import { evaluationEvent, firstMistakes, MISTAKES_KEPT, PAIRS_KEPT } from './evaluation';

describe('evaluationEvent', () => {
  // Six images of three classes. Mistakes: #1 (0→2), #3 (1→0), #4 (1→0), #5 (2→1).
  const labels = [0, 0, 1, 1, 1, 2];
  const predictions = [0, 2, 1, 0, 0, 1];
  const event = evaluationEvent({
    model: 'm',
    labels,
    predictions,
    loss: 0.5,
    seconds: 1.5,
    classNames: ['a', 'b', 'c'],
    confidences: [0.6, 0.7, 0.8, 0.9],
  });

  it('counts the confusion matrix, accuracy and per-class figures', () => {
    expect(event).toMatchObject({ type: 'evaluation', model: 'm', count: 6, loss: 0.5, seconds: 1.5 });
    expect(event.accuracy).toBe(2 / 6);
    expect(event.confusion).toEqual([
      [1, 0, 1],
      [2, 1, 0],
      [0, 1, 0],
    ]);
    expect(event.classes.map((c) => [c.label, c.name, c.support])).toEqual([
      [0, 'a', 2],
      [1, 'b', 3],
      [2, 'c', 1],
    ]);
    // Precision of class b: 1 of the 2 images predicted b is a b.
    expect(event.classes[1]?.precision).toBe(0.5);
    expect(event.classes[1]?.recall).toBe(1 / 3);
    expect(event.reportText).toContain('weighted avg');
  });
  it('lists the most confused pairs with the first image of each as the example', () => {
    expect(event.mostConfused).toEqual([
      { actual: 1, predicted: 0, count: 2, example: 3 },
      { actual: 0, predicted: 2, count: 1, example: 1 },
      { actual: 2, predicted: 1, count: 1, example: 5 },
    ]);
  });
  it('keeps the first mistakes in test order with the confidences given for them', () => {
    expect(firstMistakes(labels, predictions)).toEqual([1, 3, 4, 5]);
    expect(event.misclassified).toEqual([
      { index: 1, actual: 0, predicted: 2, confidence: 0.6 },
      { index: 3, actual: 1, predicted: 0, confidence: 0.7 },
      { index: 4, actual: 1, predicted: 0, confidence: 0.8 },
      { index: 5, actual: 2, predicted: 1, confidence: 0.9 },
    ]);
  });
  it('keeps at most the documented number of mistakes and pairs', () => {
    const n = 1000;
    const many = evaluationEvent({
      model: 'm',
      labels: Array.from({ length: n }, (_, i) => i % 10),
      predictions: Array.from({ length: n }, (_, i) => (i * 7 + Math.floor(i / 10)) % 10),
      loss: 1,
      seconds: 1,
      classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    });
    expect(many.misclassified).toHaveLength(MISTAKES_KEPT);
    expect(many.mostConfused).toHaveLength(PAIRS_KEPT);
    expect(many.misclassified.every((m) => m.confidence === 0)).toBe(true);
    expect(firstMistakes([0, 1, 2], [1, 2, 0], 2)).toEqual([0, 1]);
  });
});
