import { argMax, cast, oneHot, sum, tensor1d, tidy } from '@tensorflow/tfjs-core';
import { MnistModelError } from './errors.js';
import { defaultInferenceBatchSize } from './inference.js';
import { CLASSES, inputTensor, type LabelledImages, snapshotLabelledImages, toUnitFloats } from './input.js';
import type { MnistModel } from './model.js';
import { classProbabilities, crossEntropyOf, forwardPass } from './forward.js';
import { type CrossEntropyForm, checkCrossEntropy, sparseCrossEntropyPerSample } from './loss.js';
import { checkNotDisposed } from './disposed.js';

/** Options for {@link evaluate}. */
export interface EvaluateOptions {
  /** Images per forward pass (default 1,000 for flat models, 256 for image models, fewer for a costly network). */
  batchSize?: number;
  /**
   * Also return every image's class probabilities as {@link predict} gives them (at the model's temperature), e.g.
   * for a reliability diagram, without a second pass over the set.
   */
  probabilities?: boolean;
  /**
   * Which Keras's loss to report (default: the model's recipe's, else `logits`, Keras 3 on TensorFlow's); see
   * `CrossEntropyForm`. Accuracy and predictions do not depend on it.
   */
  crossEntropy?: CrossEntropyForm;
}

/** What {@link evaluate} measures on a labelled set. */
export interface Evaluation {
  /** Mean sparse categorical cross-entropy, as Keras computes it in {@link Evaluation.crossEntropy}'s form. */
  loss: number;
  /** The form of the loss: `logits` (Keras 3 on TensorFlow) or `probabilities` (Keras 2, Keras 3 on JAX/PyTorch). */
  crossEntropy: CrossEntropyForm;
  /**
   * Fraction of images whose most probable class (as `predict` and `classify` give it) is their label, 0..1. Keras's
   * `accuracy` metric takes the arg-max of the raw outputs instead; the two differ only where two sigmoid outputs
   * round to the same float (1 image of 10,000 for the shipped `mlp`).
   */
  accuracy: number;
  /** The predicted label of every image, in order (for `@mnist/metrics`'s confusion matrix). */
  predictions: Uint8Array;
  /** Number of images evaluated. */
  count: number;
  /** Wall-clock seconds the evaluation took. */
  seconds: number;
  /** With `probabilities: true`: `count × 10` class probabilities, as `predict` gives them. */
  probabilities?: Float32Array;
}

/**
 * Evaluates a model on a labelled set, as Keras's `model.evaluate` does: mean loss and accuracy, plus the
 * predicted label of every image. Runs in large batches; leaves no tensors behind.
 *
 * @param model - any {@link MnistModel}
 * @param given - the labelled set, e.g. `data.test` from `@mnist/data`
 */
export async function evaluate(
  model: MnistModel,
  given: LabelledImages,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  checkNotDisposed(model, 'evaluate');
  // What is checked is what is measured: count, images and labels read once, the labels copied.
  const set = snapshotLabelledImages(given, 'evaluate', false);
  if (set.count === 0) {
    throw new MnistModelError(
      'BAD_INPUT',
      'evaluate: the set is empty, so there is no loss or accuracy to measure. Pass at least one image.',
    );
  }
  const batchSize = options.batchSize ?? defaultInferenceBatchSize(model);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new MnistModelError(
      'BAD_INPUT',
      `evaluate: batchSize must be a positive integer; got ${batchSize}.`,
    );
  }
  const form =
    options.crossEntropy === undefined
      ? crossEntropyOf(model)
      : checkCrossEntropy(options.crossEntropy, 'evaluate: crossEntropy');
  const started = performance.now();
  const predictions = new Uint8Array(set.count);
  const probabilities = options.probabilities === true ? new Float32Array(set.count * CLASSES) : undefined;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    const size = Math.min(batchSize, set.count - start);
    const labels = set.labels.subarray(start, start + size);
    const [batchLoss, batchPredictions, batchProbabilities] = tidy(() => {
      const x = inputTensor(toUnitFloats(set.images, start, size), size, model.inputKind);
      const pass = forwardPass(model, x, false);
      const mask = cast(oneHot(tensor1d(Int32Array.from(labels), 'int32'), CLASSES), 'float32');
      // The answer is the most probable class as predict and classify give it; the raw outputs would tie where two
      // sigmoids round to the same float (a softmax of the logits does not), and name another digit there.
      const shown = classProbabilities(pass, model);
      return [
        sum(sparseCrossEntropyPerSample(pass, mask, form)),
        argMax(shown, 1),
        probabilities === undefined ? undefined : shown,
      ];
    });
    const [lossValue, predicted, rows] = await Promise.all([
      batchLoss.data(),
      batchPredictions.data(),
      batchProbabilities?.data(),
    ]);
    batchLoss.dispose();
    batchPredictions.dispose();
    batchProbabilities?.dispose();
    if (rows !== undefined) probabilities?.set(rows as Float32Array, start * CLASSES);
    lossSum += lossValue[0] as number;
    for (let k = 0; k < size; k++) {
      const label = predicted[k] as number;
      predictions[start + k] = label;
      if (label === labels[k]) correct++;
    }
  }
  const count = set.count;
  return {
    loss: lossSum / count,
    crossEntropy: form,
    accuracy: correct / count,
    predictions,
    count,
    seconds: (performance.now() - started) / 1000,
    ...(probabilities !== undefined && { probabilities }),
  };
}
