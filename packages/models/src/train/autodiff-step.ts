// The generic training step: tfjs autodiff through the layers model, for any architecture the engine does not take.
import {
  add,
  argMax,
  cast,
  equal,
  getBackend,
  keep,
  mul,
  stack,
  sum,
  type Tensor,
  type Tensor1D,
  tensor1d,
  tensor2d,
  tidy,
  type Variable,
  zeros,
} from '@tensorflow/tfjs-core';
import { CLASSES, inputTensor, type LabelledImages } from '../input.js';
import type { MnistModel } from '../model.js';
import { assembleBatch } from './batches.js';
import { forwardPass } from '../forward.js';
import { type CrossEntropyForm, numericEpsilon, sparseCrossEntropy } from '../loss.js';
import { KerasAdam } from '../adam.js';
import type { EpochPlan, TrainingStep } from '../step.js';

/** What the autodiff step is built for (the learning rate comes with each epoch's plan). */
export interface AutodiffSettings {
  /** Random shift of each training image by up to this many pixels (0: none). */
  maxShift: number;
  /** Which Keras's sparse categorical cross-entropy to minimise. */
  crossEntropy: CrossEntropyForm;
}

/**
 * The generic step for any layers model: tfjs autodiff on the model's trainable variables, with Adam as Keras 3
 * computes it (`KerasAdam`: β₁ 0.9, β₂ 0.999, ε 1e-7; 1e-4 on half-precision webgl, see `numericEpsilon`) and
 * Keras's sparse categorical cross-entropy in the form asked for. Batches are assembled on the host and uploaded;
 * the running totals stay on the backend.
 */
export function autodiffStep(
  model: MnistModel,
  set: LabelledImages,
  settings: AutodiffSettings,
): TrainingStep {
  const variables = model.layersModel.trainableWeights.map((weight) => weight.read() as Variable);
  const epsilon = numericEpsilon();
  const optimizer = new KerasAdam(variables, epsilon);
  let epoch: EpochPlan | undefined;
  let totals: Tensor1D | undefined;
  return {
    engine: { kind: 'tfjs', backend: getBackend() },
    beginEpoch(plan) {
      epoch = plan;
      optimizer.learningRate = plan.learningRate;
      totals?.dispose();
      totals = zeros([2]);
    },
    run(start, size) {
      if (epoch === undefined || totals === undefined) throw new Error('autodiffStep: beginEpoch first');
      const batch = assembleBatch(
        set,
        epoch.order,
        start,
        size,
        settings.maxShift,
        epoch.augmentSeed,
        epoch.augmentation,
      );
      const stats = tidy(() => {
        const x = inputTensor(batch.x, batch.size, model.inputKind);
        const targetMask = tensor2d(batch.targetMask, [batch.size, CLASSES]);
        const labels = tensor1d(batch.labels, 'int32');
        let correct: Tensor | undefined;
        const loss = optimizer.minimize(() => {
          const pass = forwardPass(model, x, true);
          // Kept: the gradient's forward tidy would otherwise dispose it before it is returned.
          correct = keep(sum(cast(equal(argMax(pass.outputs, 1), labels), 'float32')));
          return sparseCrossEntropy(pass, targetMask, settings.crossEntropy, epsilon);
        });
        const result = stack([mul(loss, batch.size), correct as Tensor]) as Tensor1D;
        (correct as Tensor).dispose();
        return result;
      });
      const next = add(totals, stats) as Tensor1D;
      stats.dispose();
      totals.dispose();
      totals = next;
    },
    async totals() {
      if (totals === undefined) return [0, 0];
      const values = await totals.data();
      return [values[0] as number, values[1] as number];
    },
    syncWeights() {
      // The model's variables are trained in place.
    },
    dispose() {
      totals?.dispose();
      totals = undefined;
      optimizer.dispose();
    },
  };
}
