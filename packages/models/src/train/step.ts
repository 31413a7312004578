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
import { type EngineChoice, engineStepFor } from '../engine/index.js';
import { CLASSES, inputTensor, type LabelledImages } from '../input.js';
import type { MnistModel } from '../model.js';
import { assembleBatch } from './batches.js';
import { forwardPass } from '../forward.js';
import { type CrossEntropyForm, KERAS_EPSILON, numericEpsilon, sparseCrossEntropy } from '../loss.js';
import { KerasAdam } from './adam.js';
import type { EpochPlan, TrainingStep } from './training-step.js';

/** What a step is built for. */
export interface StepSettings {
  learningRate: number;
  batchSize: number;
  /** Random shift of each training image by up to this many pixels (0: none). */
  maxShift: number;
  /** Which Keras's sparse categorical cross-entropy to minimise. */
  crossEntropy: CrossEntropyForm;
  engine: EngineChoice;
  threads?: number;
}

/**
 * The generic step for any layers model: tfjs autodiff on the model's trainable variables, with Adam as Keras 3
 * computes it (`KerasAdam`: β₁ 0.9, β₂ 0.999, ε 1e-7; 1e-4 on half-precision webgl, see
 * `numericEpsilon`) and Keras's sparse categorical cross-entropy in the form asked for. Batches are assembled on the host and uploaded;
 * the running totals stay on the backend.
 */
export function autodiffStep(model: MnistModel, set: LabelledImages, settings: StepSettings): TrainingStep {
  const variables = model.layersModel.trainableWeights.map((weight) => weight.read() as Variable);
  const epsilon = numericEpsilon();
  const optimizer = new KerasAdam(variables, settings.learningRate, epsilon);
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

/**
 * The step {@link train} uses: the wasm engine for the architectures it trains exactly (dense stacks like
 * `simple` and `mlp`, conv stacks like the `cnn`; same math, checked weight for weight against this file's
 * autodiff step by test/engine-steps.test.ts), the generic autodiff step for everything else or when asked.
 */
export async function trainingStepFor(
  model: MnistModel,
  set: LabelledImages,
  settings: StepSettings,
): Promise<TrainingStep> {
  const engine = await engineStepFor(model, set, {
    engine: settings.engine,
    ...(settings.threads !== undefined && { threads: settings.threads }),
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    maxShift: settings.maxShift,
    crossEntropy: settings.crossEntropy,
    // The engine computes in float32 whatever the backend: Keras's ε exactly.
    epsilon: KERAS_EPSILON,
  });
  return engine ?? autodiffStep(model, set, settings);
}
