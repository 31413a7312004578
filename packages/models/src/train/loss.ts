import {
  backend,
  type Scalar,
  clipByValue,
  log,
  mean,
  mul,
  sub,
  sum,
  type Tensor,
  type Tensor1D,
} from '@tensorflow/tfjs-core';

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
 * Per-sample sparse categorical cross-entropy exactly as Keras computes it with `from_logits=False`:
 * the outputs are clipped to [ε, 1−ε], their log is taken, and that log is fed to a softmax
 * cross-entropy. Since softmax(log p) = p / Σp, this is
 *
 *     loss = log(Σⱼ clip(pⱼ)) − log(clip(p_y))
 *
 * i.e. the outputs are normalised to sum 1 before −log. That matters for the tutorial's models, whose last
 * layer is a sigmoid: their 10 outputs do not sum to 1, and Keras silently treats them as proportions.
 * (tfjs-layers' `sparseCategoricalCrossentropy` normalises too, but clips a second time after normalising.)
 *
 * @param outputs - [n, 10] model outputs (sigmoid or softmax), not logits
 * @param targetMask - [n, 10] one-hot rows of the true labels
 * @param epsilon - the clipping fuzz factor (default {@link numericEpsilon}: Keras's 1e-7 on float32 backends)
 * @returns [n] losses
 */
export function sparseCrossEntropyPerSample(
  outputs: Tensor,
  targetMask: Tensor,
  epsilon = numericEpsilon(),
): Tensor1D {
  const clipped = clipByValue(outputs, epsilon, 1 - epsilon);
  const total = sum(clipped, 1);
  const target = sum(mul(clipped, targetMask), 1);
  return sub(log(total), log(target)) as Tensor1D;
}

/** The mean of {@link sparseCrossEntropyPerSample} over the batch: the training objective. */
export function sparseCrossEntropy(outputs: Tensor, targetMask: Tensor, epsilon = numericEpsilon()): Scalar {
  return mean(sparseCrossEntropyPerSample(outputs, targetMask, epsilon));
}
