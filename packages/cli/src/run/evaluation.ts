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
  const matrix = confusionMatrix(test.labels, result.predictions, {
    numClasses: classNames.length,
    classNames: [...classNames],
  });
  const n = classNames.length;
  const confusion = matrix.rows();

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
    actual: pair.trueClass,
    predicted: pair.predictedClass,
    count: pair.count,
    example: examples.get(pair.trueClass * n + pair.predictedClass) ?? -1,
  }));

  const mistakeImages = new Uint8Array(mistakeIndices.length * 784);
  mistakeIndices.forEach((index, k) => {
    mistakeImages.set(test.images.subarray(index * 784, (index + 1) * 784), k * 784);
  });
  const probabilities = mistakeIndices.length > 0 ? await predict(model, mistakeImages) : new Float32Array(0);
  const misclassified = mistakeIndices.map((index, k) => {
    const predicted = result.predictions[index] as number;
    return {
      index,
      actual: test.labels[index] as number,
      predicted,
      confidence: probabilities[k * n + predicted] ?? 0,
    };
  });

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
    model: modelName,
    count: result.count,
    loss: result.loss,
    accuracy: result.accuracy,
    seconds: result.seconds,
    confusion,
    classes,
    macro: average(matrix.macroAvg),
    weighted: average(matrix.weightedAvg),
    mostConfused,
    misclassified,
    reportText: classificationReport(matrix, { digits: 4 }),
  };
}
