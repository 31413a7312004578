// Which step trains a model: the wasm engine where it trains the architecture exactly, else tfjs autodiff.
import { type EngineChoice, engineStepFor } from '../engine/index.js';
import type { LabelledImages } from '../input.js';
import { type CrossEntropyForm, KERAS_EPSILON } from '../loss.js';
import type { MnistModel } from '../model.js';
import type { TrainingStep } from '../step.js';
import { autodiffStep } from './autodiff-step.js';

/** What a step is built for (the learning rate comes with each epoch's plan). */
export interface StepSettings {
  /** The largest batch a step will get. */
  batchSize: number;
  /** Random shift of each training image by up to this many pixels (0: none). */
  maxShift: number;
  /** Which Keras's sparse categorical cross-entropy to minimise. */
  crossEntropy: CrossEntropyForm;
  engine: EngineChoice;
  threads?: number;
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
    maxShift: settings.maxShift,
    crossEntropy: settings.crossEntropy,
    // The engine computes in float32 whatever the backend: Keras's ε exactly.
    epsilon: KERAS_EPSILON,
  });
  return engine ?? autodiffStep(model, set, settings);
}
