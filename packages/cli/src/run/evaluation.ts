import { classificationReport, confusionMatrix } from '@mnist/metrics';
import { evaluate, type MnistModel, predict } from '@mnist/models';
import type { ClassFigures, ConfusedPair, EvaluationEvent } from './events';

/** Labelled test images, as @mnist/data's MnistSplit provides them. */
export interface TestImages {
  readonly count: number;
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/** Mistakes kept in the evaluation event (and shown in the HTML report). */
const MISTAKES_KEPT = 100;
/** Confused pairs kept. */
const PAIRS_KEPT = 10;

/**
 * Evaluates `model` on `test` and derives everything the outputs show: accuracy and loss (from
 * @mnist/models), the confusion matrix, per-class figures and report text (from @mnist/metrics), the
 * most confused pairs with an example each, and the first misclassified images with their confidence.
 */
export async function evaluateModel(
  model: MnistModel,
  modelName: string,
  test: TestImages,
  classNames: readonly string[],
): Promise<EvaluationEvent> {
  const result = await evaluate(model, test);
  const matrix = confusionMatrix(test.labels, result.predictions, { numClasses: classNames.length, classNames: [...classNames] });
  const n = classNames.length;
  const confusion: number[][] = Array.from({ length: n }, (_, actual) =>
    Array.from({ length: n }, (_, predicted) => matrix.count(actual, predicted)),
  );

  // One example per confused pair, and the first mistakes in test order.
  const examples = new Map<number, number>();
  const mistakeIndices: number[] = [];
  for (let i = 0; i < test.count; i++) {
    const actual = test.labels[i] as number;
    const predicted = result.predictions[i] as number;
    if (actual === predicted) continue;
    const key = actual * n + predicted;
    if (!examples.has(key)) examples.set(key, i);
    if (mistakeIndices.length < MISTAKES_KEPT) mistakeIndices.push(i);
  }
  const mostConfused: ConfusedPair[] = matrix.mostConfused(PAIRS_KEPT).map((pair) => ({
    actual: pair.actual,
    predicted: pair.predicted,
    count: pair.count,
    example: examples.get(pair.actual * n + pair.predicted) ?? -1,
  }));

  const mistakeImages = new Uint8Array(mistakeIndices.length * 784);
  mistakeIndices.forEach((index, k) => {
    mistakeImages.set(test.images.subarray(index * 784, (index + 1) * 784), k * 784);
  });
  const probabilities = mistakeIndices.length > 0 ? await predict(model, mistakeImages) : new Float32Array(0);
  const misclassified = mistakeIndices.map((index, k) => {
    const predicted = result.predictions[index] as number;
    return { index, actual: test.labels[index] as number, predicted, confidence: probabilities[k * n + predicted] ?? 0 };
  });

  const classes: ClassFigures[] = classNames.map((name, label) => ({
    label,
    name,
    precision: matrix.precision(label),
    recall: matrix.recall(label),
    f1: matrix.f1(label),
    support: matrix.support(label),
  }));
  return {
    type: 'evaluation',
    model: modelName,
    count: result.count,
    loss: result.loss,
    accuracy: result.accuracy,
    seconds: result.seconds,
    confusion,
    classes,
    macro: matrix.macroAverage(),
    weighted: matrix.weightedAverage(),
    mostConfused,
    misclassified,
    reportText: classificationReport(matrix),
  };
}
