import { classificationReport, confusionMatrix, reliabilityDiagram } from '@mnist/metrics';
import type { CalibrationFigures, ClassFigures, ConfusedPair, EvaluationEvent } from './types';

/** Mistakes kept in the evaluation event (and shown in the HTML report). */
export const MISTAKES_KEPT = 100;
/** Confused pairs kept. */
export const PAIRS_KEPT = 10;
/** Bins of the reliability diagram (equal width over the top probability; Guo et al. 2017 use 15). */
export const CALIBRATION_BINS = 15;

/** What a model did on a labelled set: everything {@link evaluationEvent} needs, no tensors. */
export interface EvaluationFacts {
  /** The model's name as the outputs show it. */
  readonly model: string;
  /** The true label of every image, in order. */
  readonly labels: ArrayLike<number>;
  /** The predicted label of every image, in the same order. */
  readonly predictions: ArrayLike<number>;
  /** Mean loss over the set. */
  readonly loss: number;
  /** Wall-clock seconds the evaluation took. */
  readonly seconds: number;
  readonly classNames: readonly string[];
  /**
   * Every image's class probabilities (`count × classes`, row-major) as the model's user sees them: they give
   * the mistakes' confidences and the reliability diagram. Without them both are unknown (confidence 0, no
   * diagram).
   */
  readonly probabilities?: ArrayLike<number>;
  /** The temperature {@link probabilities} were taken at (default 1). */
  readonly temperature?: number;
}

/** The reliability diagram of the probabilities against the labels (@mnist/metrics), as event data. */
export function calibrationFigures(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  temperature = 1,
): CalibrationFigures {
  const diagram = reliabilityDiagram(probabilities, labels, { bins: CALIBRATION_BINS });
  return {
    ece: diagram.ece,
    mce: diagram.mce,
    confidence: diagram.confidence,
    accuracy: diagram.accuracy,
    temperature,
    bins: diagram.bins.map((bin) => ({ ...bin })),
  };
}

/** Test-order indices of the first `limit` images whose prediction is not their label. */
export function firstMistakes(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  limit = MISTAKES_KEPT,
): number[] {
  const indices: number[] = [];
  for (let i = 0; i < labels.length && indices.length < limit; i++) {
    if (labels[i] !== predictions[i]) indices.push(i);
  }
  return indices;
}

/**
 * The `evaluation` event for a model's predictions on a labelled set: accuracy, the confusion matrix,
 * per-class figures and the scikit-learn style report (all from @mnist/metrics), the most confused pairs
 * with an example image each, the first mistakes with their confidence, and, given the probabilities, the
 * reliability diagram with the expected calibration error. Pure: no tfjs, no I/O.
 */
export function evaluationEvent(facts: EvaluationFacts): EvaluationEvent {
  const { labels, predictions, classNames } = facts;
  const n = classNames.length;
  const matrix = confusionMatrix(labels, predictions, { numClasses: n, classNames: [...classNames] });

  // One example per confused pair: the first image of that pair in test order.
  const examples = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const actual = labels[i] as number;
    const predicted = predictions[i] as number;
    const key = actual * n + predicted;
    if (actual !== predicted && !examples.has(key)) examples.set(key, i);
  }
  const mostConfused: ConfusedPair[] = matrix.mostConfused(PAIRS_KEPT).map((pair) => ({
    actual: pair.trueClass,
    predicted: pair.predictedClass,
    count: pair.count,
    example: examples.get(pair.trueClass * n + pair.predictedClass) ?? -1,
  }));
  const { probabilities } = facts;
  const misclassified = firstMistakes(labels, predictions).map((index) => ({
    index,
    actual: labels[index] as number,
    predicted: predictions[index] as number,
    confidence: (probabilities?.[index * n + (predictions[index] as number)] as number | undefined) ?? 0,
  }));
  const classes: ClassFigures[] = matrix.classes.map((c) => ({
    label: c.index,
    name: c.name,
    precision: c.precision,
    recall: c.recall,
    f1: c.f1,
    support: c.support,
  }));
  const average = (a: { precision: number; recall: number; f1: number }) => ({
    precision: a.precision,
    recall: a.recall,
    f1: a.f1,
  });
  return {
    type: 'evaluation',
    model: facts.model,
    count: labels.length,
    loss: facts.loss,
    accuracy: matrix.accuracy,
    seconds: facts.seconds,
    confusion: matrix.rows(),
    classes,
    macro: average(matrix.macroAvg),
    weighted: average(matrix.weightedAvg),
    mostConfused,
    misclassified,
    reportText: classificationReport(matrix, { digits: 4 }),
    ...(probabilities !== undefined &&
      labels.length > 0 && { calibration: calibrationFigures(probabilities, labels, facts.temperature) }),
  };
}
