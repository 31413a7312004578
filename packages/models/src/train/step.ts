import {
  argMax,
  cast,
  equal,
  keep,
  mul,
  type Scalar,
  stack,
  sum,
  type Tensor,
  type Tensor1D,
  tensor1d,
  tensor2d,
  tidy,
  train as optimizers,
  type Variable,
} from '@tensorflow/tfjs-core';
import { CLASSES, inputTensor } from '../input.js';
import type { MnistModel } from '../model.js';
import type { HostBatch } from './batches.js';
import { fastStepFor } from './fast-step.js';
import { numericEpsilon, sparseCrossEntropy } from './loss.js';

/**
 * One optimiser step per batch, behind a seam: {@link train}'s loop only needs these three calls, so a faster
 * implementation for some architectures can stand in for the generic one.
 */
export interface TrainingStep {
  /**
   * Trains on one batch. Returns a new [2] tensor: the batch's summed per-sample loss and its number of correct
   * predictions (kept on the backend; the loop reads running sums only at its log rate).
   */
  run(batch: HostBatch): Tensor1D;
  /** Sets Adam's learning rate from the next step on (a per-epoch schedule). */
  setLearningRate(learningRate: number): void;
  /** Frees the optimiser state. */
  dispose(): void;
}

/**
 * The generic step for any layers model: tfjs autodiff through `optimizer.minimize` on the model's trainable
 * variables, with Adam as Keras configures it (β₁ 0.9, β₂ 0.999, ε 1e-7; 1e-4 on half-precision webgl, see
 * `numericEpsilon`) and Keras's sparse categorical cross-entropy.
 */
export function autodiffStep(model: MnistModel, learningRate: number): TrainingStep {
  const variables = model.layersModel.trainableWeights.map((weight) => weight.read() as Variable);
  const epsilon = numericEpsilon();
  const optimizer = optimizers.adam(learningRate, 0.9, 0.999, epsilon);
  return {
    run(batch) {
      return tidy(() => {
        const x = inputTensor(batch.x, batch.size, model.inputKind);
        const targetMask = tensor2d(batch.targetMask, [batch.size, CLASSES]);
        const labels = tensor1d(batch.labels, 'int32');
        let correct: Tensor | undefined;
        const loss = optimizer.minimize(
          () => {
            const outputs = model.layersModel.apply(x, { training: true }) as Tensor;
            // Kept: minimize's forward tidy would otherwise dispose it before it is returned.
            correct = keep(sum(cast(equal(argMax(outputs, 1), labels), 'float32')));
            return sparseCrossEntropy(outputs, targetMask, epsilon);
          },
          true,
          variables,
        ) as Scalar;
        const stats = stack([mul(loss, batch.size), correct as Tensor]) as Tensor1D;
        (correct as Tensor).dispose();
        return stats;
      });
    },
    setLearningRate(rate) {
      // tfjs keeps Adam's rate in a protected field that every step reads.
      (optimizer as unknown as { learningRate: number }).learningRate = rate;
    },
    dispose() {
      optimizer.dispose();
    },
  };
}

/**
 * The step {@link train} uses for a model: the fast path for plain dense stacks (`simple`, `mlp`; same math,
 * checked weight for weight by test/fast-path.test.ts), the generic autodiff step for everything else.
 */
export function trainingStepFor(model: MnistModel, learningRate: number): TrainingStep {
  return fastStepFor(model, learningRate) ?? autodiffStep(model, learningRate);
}
