import { tidy } from '@tensorflow/tfjs-core';
import { MnistModelError } from './errors.js';
import { defaultInferenceBatchSize } from './inference.js';
import {
  DEFAULT_VERDICT_THRESHOLDS,
  type Verdict,
  type VerdictThresholds,
  verdictFor,
} from './confidence/verdict.js';
import {
  CLASSES,
  checkPixelType,
  type ImagesInput,
  inputTensor,
  PIXELS,
  pixelSource,
  toUnitFloats,
} from './input.js';
import type { MnistModel } from './model.js';
import { classProbabilities, forwardPass } from './forward.js';
import { checkNotDisposed } from './disposed.js';

/** Options for {@link predict}. */
export interface PredictOptions {
  /** Images per forward pass (default 1,000 for flat models, 256 for image models, fewer for a costly network). */
  batchSize?: number;
  /**
   * Return the network's raw outputs instead of class probabilities. For the tutorial's sigmoid models the raw
   * outputs do not sum to 1; this is what `model.predict` gives in Keras and in stock tfjs.
   */
  raw?: boolean;
}

/**
 * Class probabilities for a batch of images: `count × 10` floats, row `i` for image `i`.
 *
 * The probabilities are the outputs as the model's loss reads them (its recipe's `crossEntropy`): by default
 * softmax of the output layer's logits, as Keras 3 on TensorFlow trains them, so for the tutorial's sigmoid models
 * softmax(z) rather than the ten sigmoids; with `probabilities`, the outputs clipped to [ε, 1−ε] (ε = 1e-7) and
 * normalised to sum 1. A model with a `temperature` has it applied (softmax(z / T), softmax(log p / T)). The
 * arg-max is that of the raw outputs (bar sigmoid outputs that round to the same float).
 *
 * @param images - a labelled set (labels ignored), bytes 0..255, or floats 0..1; 784 values per image
 */
export async function predict(
  model: MnistModel,
  images: ImagesInput,
  options: PredictOptions = {},
): Promise<Float32Array> {
  checkNotDisposed(model, 'predict');
  const { pixels, count } = pixelSource(images);
  const batchSize = options.batchSize ?? defaultInferenceBatchSize(model);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new MnistModelError(
      'BAD_INPUT',
      `predict: batchSize must be a positive integer; got ${batchSize}.`,
    );
  }
  const result = new Float32Array(count * CLASSES);
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const probabilities = tidy(() => {
      const x = inputTensor(toUnitFloats(pixels, start, size), size, model.inputKind);
      const pass = forwardPass(model, x, false);
      return options.raw === true ? pass.outputs : classProbabilities(pass, model);
    });
    const values = await probabilities.data();
    probabilities.dispose();
    result.set(values as Float32Array, start * CLASSES);
  }
  return result;
}

/** One class and its probability. */
export interface ClassScore {
  /** The digit, 0..9. */
  label: number;
  /** Its probability, 0..1. */
  p: number;
}

/** What {@link classify} says about one image. */
export interface Classification {
  /** The most probable digit. */
  label: number;
  /** Its probability, 0..1. */
  confidence: number;
  /** Probabilities of digits 0..9 (sum 1). */
  probabilities: Float32Array;
  /** The `topK` most probable digits, most probable first. */
  top: ClassScore[];
  /** Whether to announce `label` or say it is one of the top two ("4 or 9?"); see `verdictFor`. */
  verdict: Verdict;
}

/** Options for {@link classify}. */
export interface ClassifyOptions {
  /** How many digits to list in `top` (default 3, at most 10). */
  topK?: number;
  /** When the answer counts as confident (default `DEFAULT_VERDICT_THRESHOLDS`). */
  thresholds?: VerdictThresholds;
}

/**
 * Classifies a single image: the top digit, its confidence and the ranking.
 *
 * Synchronous on purpose, for interactive use (a drawing pad, a CLI): one image's 10 outputs are read back with
 * `dataSync`, which costs microseconds on cpu and wasm and one small read on webgl. Use {@link predict} (async,
 * batched) for many images.
 *
 * @param image - 784 bytes 0..255 or 784 floats 0..1 (e.g. `split.image(i)` or `preprocessDrawing(...)`)
 */
export function classify(
  model: MnistModel,
  image: Uint8Array | Uint8ClampedArray | Float32Array,
  options: ClassifyOptions = {},
): Classification {
  checkNotDisposed(model, 'classify');
  checkPixelType(image);
  if (image.length !== PIXELS) {
    throw new MnistModelError(
      'BAD_INPUT',
      `classify takes one 28×28 image (${PIXELS} values); got ${image.length}. Use predict() for batches.`,
    );
  }
  const probabilities = tidy(() => {
    const x = inputTensor(toUnitFloats(image, 0, 1), 1, model.inputKind);
    return classProbabilities(forwardPass(model, x, false), model).dataSync() as Float32Array;
  });
  return rank(Float32Array.from(probabilities), options.topK ?? 3, options.thresholds);
}

/** Ranks one row of 10 probabilities and gives its verdict. */
export function rank(
  probabilities: Float32Array,
  topK = 3,
  thresholds: Readonly<VerdictThresholds> = DEFAULT_VERDICT_THRESHOLDS,
): Classification {
  const scores: ClassScore[] = Array.from(probabilities, (p, label) => ({ label, p }));
  scores.sort((a, b) => b.p - a.p || a.label - b.label);
  const best = scores[0] as ClassScore;
  return {
    label: best.label,
    confidence: best.p,
    probabilities,
    top: scores.slice(0, Math.max(1, Math.min(CLASSES, topK))),
    verdict: verdictFor(probabilities, thresholds),
  };
}
