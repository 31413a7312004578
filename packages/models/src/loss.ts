// Sparse categorical cross-entropy in the two forms today's Keras computes it, and which one a model uses.
//
// Keras on TensorFlow (Keras 3, and tf.keras 2 before it): a sigmoid or softmax output layer caches its
// pre-activation logits (`_keras_logits`), and the loss takes a softmax cross-entropy over them, whatever the
// activation was. Keras 3 on JAX or PyTorch ignores the cache: it divides the outputs by their sum, clips them to
// [ε, 1−ε] and takes −log. For a softmax output the two agree up to the clipping; for the tutorial's sigmoid outputs
// they are different functions (0.60665 against 1.6703 on the same trained mlp), so the choice is recorded in the
// recipe and used everywhere a loss is computed.
import {
  backend,
  clipByValue,
  div,
  log,
  logSumExp,
  mean,
  mul,
  neg,
  type Scalar,
  sub,
  sum,
  type Tensor,
  type Tensor1D,
} from '@tensorflow/tfjs-core';
import { MnistModelError } from './errors.js';

/**
 * Which form of sparse categorical cross-entropy to compute, named after what it reads:
 * - `logits` (the default): Keras on TensorFlow's. For a sigmoid or softmax output layer, a softmax cross-entropy
 *   over that layer's pre-activation logits (its probabilities are softmax(logits)); for any other output, the
 *   outputs clipped to [ε, 1−ε], then log, then a softmax cross-entropy, as TensorFlow's Keras falls back to.
 * - `probabilities`: Keras 3 on JAX or PyTorch. The outputs divided by their sum, clipped to [ε, 1−ε], then −log of
 *   the true class's (its probabilities are the normalised outputs).
 */
export type CrossEntropyForm = 'logits' | 'probabilities';

/** Every {@link CrossEntropyForm}, the default first. */
export const CROSS_ENTROPY_FORMS: readonly CrossEntropyForm[] = Object.freeze(['logits', 'probabilities']);

/** The form a recipe without one uses: Keras 3 on TensorFlow's. */
export const DEFAULT_CROSS_ENTROPY: CrossEntropyForm = 'logits';

/**
 * One forward pass of a model: its outputs and, when its output layer is a sigmoid or softmax (the layers that
 * cache their logits in Keras 3 on TensorFlow), that layer's pre-activation logits.
 */
export interface ForwardPass {
  /** [n, 10] the network's outputs, as `model.predict` gives them. */
  readonly outputs: Tensor;
  /** [n, 10] the output layer's pre-activation values, or `undefined` when it has no sigmoid/softmax. */
  readonly logits: Tensor | undefined;
}

/** Checks a cross-entropy form from outside (an option, a flag, a model file); `what` names where it came from. */
export function checkCrossEntropy(value: unknown, what: string): CrossEntropyForm {
  if (typeof value !== 'string' || !(CROSS_ENTROPY_FORMS as readonly string[]).includes(value)) {
    throw new MnistModelError(
      'BAD_INPUT',
      `${what}: the cross-entropy form must be ${CROSS_ENTROPY_FORMS.map((f) => `'${f}'`).join(' or ')}; ` +
        `got ${JSON.stringify(value)}.`,
    );
  }
  return value as CrossEntropyForm;
}

/** Keras's fuzz factor (`keras.backend.epsilon()`), used to clip outputs before the log. */
export const KERAS_EPSILON = 1e-7;

/**
 * The fuzz factor to compute with on the active backend: Keras's 1e-7 on every float32 backend (cpu, wasm,
 * tensorflow, most webgl), and tfjs's 1e-4 where webgl only has half precision, in which 1e-7 rounds to 0 and
 * `log(0)` or a division by 0 would turn training into NaNs.
 */
export function numericEpsilon(): number {
  return Math.max(KERAS_EPSILON, backend().epsilon());
}

/**
 * Per-sample cross-entropy over logits (`tf.nn.sparse_softmax_cross_entropy_with_logits`): log Σⱼ exp(zⱼ) − z_y.
 *
 * @param logits - [n, 10] pre-activation outputs of the output layer
 * @param targetMask - [n, 10] one-hot rows of the true labels
 * @returns [n] losses
 */
export function logitCrossEntropyPerSample(logits: Tensor, targetMask: Tensor): Tensor1D {
  return sub(logSumExp(logits, 1), sum(mul(logits, targetMask), 1)) as Tensor1D;
}

/**
 * Per-sample cross-entropy of outputs that have no logits, as Keras on TensorFlow falls back to: the outputs
 * clipped to [ε, 1−ε], their log fed to a softmax cross-entropy. Since softmax(log p) = p / Σp, this is
 * log(Σⱼ clip(pⱼ)) − log(clip(p_y)).
 *
 * @param outputs - [n, 10] model outputs
 * @param targetMask - [n, 10] one-hot rows of the true labels
 * @param epsilon - the clipping fuzz factor
 * @returns [n] losses
 */
export function clippedLogCrossEntropyPerSample(
  outputs: Tensor,
  targetMask: Tensor,
  epsilon = numericEpsilon(),
): Tensor1D {
  const clipped = clipByValue(outputs, epsilon, 1 - epsilon);
  return sub(log(sum(clipped, 1)), log(sum(mul(clipped, targetMask), 1))) as Tensor1D;
}

/**
 * Per-sample cross-entropy over normalised probabilities, as Keras 3 on JAX or PyTorch computes it
 * (`from_logits=False`): the outputs divided by their row sum, clipped to [ε, 1−ε], then −log of the true class's.
 * The tutorial's ten sigmoids, which do not sum to 1, are treated as proportions.
 *
 * @param outputs - [n, 10] model outputs (sigmoid or softmax), not logits
 * @param targetMask - [n, 10] one-hot rows of the true labels
 * @param epsilon - the clipping fuzz factor (default {@link numericEpsilon}: Keras's 1e-7 on float32 backends)
 * @returns [n] losses
 */
export function normalizedCrossEntropyPerSample(
  outputs: Tensor,
  targetMask: Tensor,
  epsilon = numericEpsilon(),
): Tensor1D {
  const normalized = clipByValue(div(outputs, sum(outputs, 1, true)), epsilon, 1 - epsilon);
  return neg(log(sum(mul(normalized, targetMask), 1))) as Tensor1D;
}

/**
 * Per-sample sparse categorical cross-entropy of a forward pass in the given form (see {@link CrossEntropyForm}).
 *
 * @param pass - the outputs and, for a sigmoid or softmax output layer, its logits (see `forwardPass`)
 * @param targetMask - [n, 10] one-hot rows of the true labels
 * @param form - which Keras's loss (default {@link DEFAULT_CROSS_ENTROPY})
 * @param epsilon - the clipping fuzz factor of the `probabilities` form
 * @returns [n] losses
 */
export function sparseCrossEntropyPerSample(
  pass: ForwardPass,
  targetMask: Tensor,
  form: CrossEntropyForm = DEFAULT_CROSS_ENTROPY,
  epsilon = numericEpsilon(),
): Tensor1D {
  if (form === 'probabilities') return normalizedCrossEntropyPerSample(pass.outputs, targetMask, epsilon);
  return pass.logits !== undefined
    ? logitCrossEntropyPerSample(pass.logits, targetMask)
    : clippedLogCrossEntropyPerSample(pass.outputs, targetMask, epsilon);
}

/** The mean of {@link sparseCrossEntropyPerSample} over the batch: the training objective. */
export function sparseCrossEntropy(
  pass: ForwardPass,
  targetMask: Tensor,
  form: CrossEntropyForm = DEFAULT_CROSS_ENTROPY,
  epsilon = numericEpsilon(),
): Scalar {
  return mean(sparseCrossEntropyPerSample(pass, targetMask, form, epsilon));
}
