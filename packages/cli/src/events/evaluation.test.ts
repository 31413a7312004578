import { reliabilityDiagram } from '@mnist/metrics';
import { describe, expect, it } from 'vitest';
import {
  CALIBRATION_BINS,
  calibrationFigures,
  evaluationEvent,
  firstMistakes,
  MISTAKES_KEPT,
  PAIRS_KEPT,
} from './evaluation';

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
    // Each image's predicted class gets the listed probability, the other two share the rest.
    probabilities: predictions.flatMap((predicted, i) => {
      const top = [0.9, 0.6, 0.95, 0.7, 0.8, 0.9][i] as number;
      return [0, 1, 2].map((c) => (c === predicted ? top : (1 - top) / 2));
    }),
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
  it('keeps the first mistakes in test order with the probability given to the wrong class', () => {
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

describe('calibration in the evaluation event', () => {
  /** A seeded generator (LCG) so the synthetic sets are the same every run. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  /**
   * A perfectly calibrated synthetic model: for each image a confidence c is drawn, the top class gets c and the
   * other nine share the rest, and the top class is the true one with probability exactly c.
   */
  function calibratedSet(n: number, seed: number) {
    const next = random(seed);
    const probabilities = new Float32Array(n * 10);
    const labels = new Uint8Array(n);
    const predictions = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const confidence = 0.1 + 0.9 * next();
      const top = Math.floor(next() * 10);
      for (let c = 0; c < 10; c++) probabilities[i * 10 + c] = c === top ? confidence : (1 - confidence) / 9;
      predictions[i] = top;
      labels[i] = next() < confidence ? top : (top + 1 + Math.floor(next() * 9)) % 10;
    }
    return { probabilities, labels, predictions };
  }

  it('is ~0 for a perfectly calibrated model and large for an over-confident one', () => {
    const { probabilities, labels, predictions } = calibratedSet(200_000, 7);
    const classNames = Array.from({ length: 10 }, (_, i) => String(i));
    const event = evaluationEvent({
      model: 'm',
      labels,
      predictions,
      loss: 0,
      seconds: 0,
      classNames,
      probabilities,
    });
    expect(event.calibration?.ece).toBeLessThan(0.005);
    expect(event.calibration?.bins).toHaveLength(CALIBRATION_BINS);
    expect(event.calibration?.bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(200_000);
    expect(event.calibration?.accuracy).toBeCloseTo(event.accuracy, 10);
    expect(event.calibration?.temperature).toBe(1);
    // The same model claiming 99% on everything: its ECE is about the gap to its real accuracy.
    const sure = probabilities.map((p, k) => {
      const row = Math.floor(k / 10);
      return p === Math.max(...probabilities.subarray(row * 10, row * 10 + 10)) ? 0.99 : 0.01 / 9;
    });
    const overconfident = calibrationFigures(sure, labels);
    expect(overconfident.ece).toBeCloseTo(0.99 - event.accuracy, 2);
    expect(overconfident.confidence).toBeGreaterThan(overconfident.accuracy);
  });

  it("is @mnist/metrics' reliability diagram, with the temperature noted", () => {
    const probabilities = [0.9, 0.1, 0.4, 0.6, 0.55, 0.45, 0.2, 0.8];
    const labels = [0, 0, 0, 1];
    const figures = calibrationFigures(probabilities, labels, 1.3);
    const diagram = reliabilityDiagram(probabilities, labels, { bins: CALIBRATION_BINS });
    expect(figures).toEqual({
      ece: diagram.ece,
      mce: diagram.mce,
      confidence: diagram.confidence,
      accuracy: diagram.accuracy,
      temperature: 1.3,
      bins: diagram.bins,
    });
  });

  it("takes the mistakes' confidences from the probabilities when given", () => {
    const labels = [0, 1, 1];
    const predictions = [0, 0, 1];
    const probabilities = [
      [0.7, 0.3],
      [0.6, 0.4],
      [0.2, 0.8],
    ].flat();
    const event = evaluationEvent({
      model: 'm',
      labels,
      predictions,
      loss: 0,
      seconds: 0,
      classNames: ['a', 'b'],
      probabilities,
    });
    expect(event.misclassified).toEqual([{ index: 1, actual: 1, predicted: 0, confidence: 0.6 }]);
    // Two of three right; bins at 60–66.7% (wrong), 66.7–73.3% (right), 80% (right).
    expect(event.calibration?.accuracy).toBeCloseTo(2 / 3, 10);
    expect(event.calibration?.bins.filter((bin) => bin.count > 0).map((bin) => bin.accuracy)).toEqual([
      0, 1, 1,
    ]);
  });

  it('is absent without probabilities', () => {
    const event = evaluationEvent({
      model: 'm',
      labels: [0],
      predictions: [0],
      loss: 0,
      seconds: 0,
      classNames: ['a', 'b'],
    });
    expect(event.calibration).toBeUndefined();
  });
});
