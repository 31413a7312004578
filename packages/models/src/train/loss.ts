import {
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
 * Per-sample sparse categorical cross-entropy exactly as Keras computes it with `from_logits=False`:
 * the outputs are clipped to [ε, 1−ε], their log is taken, and that log is fed to a softmax
 * cross-entropy. Since softmax(log p) = p / Σp, this is
 *
 *     loss = log(Σⱼ clip(pⱼ)) − log(clip(p_y))
 *
 * i.e. the outputs are normalised to sum 1 before −log. That matters for the seed's models, whose last
 * layer is a sigmoid: their 10 outputs do not sum to 1, and Keras silently treats them as proportions.
 * (tfjs-layers' `sparseCategoricalCrossentropy` normalises too, but clips a second time after normalising.)
 *
 * @param outputs - [n, 10] model outputs (sigmoid or softmax), not logits
 * @param targetMask - [n, 10] one-hot rows of the true labels
 * @returns [n] losses
 */
export function sparseCrossEntropyPerSample(outputs: Tensor, targetMask: Tensor): Tensor1D {
  const clipped = clipByValue(outputs, KERAS_EPSILON, 1 - KERAS_EPSILON);
  const total = sum(clipped, 1);
  const target = sum(mul(clipped, targetMask), 1);
  return sub(log(total), log(target)) as Tensor1D;
}

/** The mean of {@link sparseCrossEntropyPerSample} over the batch: the training objective. */
export function sparseCrossEntropy(outputs: Tensor, targetMask: Tensor): Scalar {
  return mean(sparseCrossEntropyPerSample(outputs, targetMask));
}
