import { tensor1d, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { PIXELS } from '../input.js';
import type { MnistModel } from '../model.js';
import { FastDenseTrainer, fastDenseLayers } from './fast-dense.js';
import { numericEpsilon } from './loss.js';
import type { TrainingStep } from './step.js';

/**
 * The fast training path behind {@link TrainingStep}, for the models it trains exactly: plain stacks of Dense
 * layers on flat input (the tutorial's `simple` and `mlp`; see `fastDenseLayers`). `undefined` for any other
 * model, which then takes the generic autodiff step. Same Adam (β₁ 0.9, β₂ 0.999, ε as `numericEpsilon`)
 * and the same Keras loss as the generic step; test/fast-path.test.ts checks they leave the same weights.
 *
 * @param model - the model about to be trained
 * @param learningRate - Adam's rate for the first epoch
 */
export function fastStepFor(model: MnistModel, learningRate: number): TrainingStep | undefined {
  if (model.inputKind !== 'flat') return undefined;
  const layers = fastDenseLayers(model.layersModel);
  if (layers === undefined) return undefined;
  const epsilon = numericEpsilon();
  const trainer = new FastDenseTrainer(layers, {
    learningRate,
    beta1: 0.9,
    beta2: 0.999,
    epsilon,
    lossEpsilon: epsilon,
  });
  return {
    run(batch) {
      return tidy(() =>
        trainer.step(tensor2d(batch.x, [batch.size, PIXELS]), tensor1d(batch.labels, 'int32')),
      );
    },
    setLearningRate(rate) {
      trainer.setLearningRate(rate);
    },
    dispose() {
      trainer.dispose();
    },
  };
}
