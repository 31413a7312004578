import type { LayersModel } from '@tensorflow/tfjs-layers';
import { MnistModelError } from '../errors.js';
import {
  type InputKind,
  MODEL_NAMES,
  type MnistModel,
  type ModelName,
  TUTORIAL_RECIPE,
  type TrainingRecipe,
} from '../model.js';
import { freshSeed } from '../random.js';
import { cnnRecipe, createCnn } from './cnn.js';
import { createMlp } from './mlp.js';
import { createSimple } from './simple.js';

/** Options for {@link createModel}. */
export interface CreateModelOptions {
  /**
   * Seed for the initial weights: the same seed gives bit-identical weights on every backend run.
   * Default: a random seed, recorded in `model.seed` so the run can be repeated.
   */
  seed?: number;
}

/** What the registry knows about each model: how to build it, what it eats, how it trains by default. */
interface ModelEntry {
  build(seed: number): LayersModel;
  inputKind: InputKind;
  recipe: Readonly<TrainingRecipe>;
}

const REGISTRY: Record<ModelName, ModelEntry> = {
  simple: { build: createSimple, inputKind: 'flat', recipe: TUTORIAL_RECIPE },
  mlp: { build: createMlp, inputKind: 'flat', recipe: TUTORIAL_RECIPE },
  cnn: { build: (seed) => createCnn({ seed }), inputKind: 'image', recipe: cnnRecipe },
};

/**
 * Builds a fresh, untrained model by name: `simple` and `mlp` are the Keras tutorial's models exactly,
 * `cnn` is this package's convolutional model. The model is not compiled: {@link train} brings its own loop.
 *
 * @param name - `simple`, `mlp` or `cnn`
 * @param options - the weight seed
 * @throws MnistModelError `UNKNOWN_MODEL` for any other name
 */
export function createModel(name: ModelName, options: CreateModelOptions = {}): MnistModel {
  const entry = Object.hasOwn(REGISTRY, name) ? REGISTRY[name] : undefined;
  if (entry === undefined) {
    throw new MnistModelError(
      'UNKNOWN_MODEL',
      `Unknown model '${String(name)}'. Choose one of: ${MODEL_NAMES.join(', ')}.`,
    );
  }
  const seed = options.seed ?? freshSeed();
  if (!Number.isInteger(seed)) {
    throw new MnistModelError('BAD_INPUT', `The model seed must be an integer; got ${seed}.`);
  }
  return { name, layersModel: entry.build(seed), inputKind: entry.inputKind, recipe: entry.recipe, seed };
}

/** The default training recipe of a named model (the tutorial's for `simple` and `mlp`). */
export function recipeFor(name: ModelName): Readonly<TrainingRecipe> {
  return (Object.hasOwn(REGISTRY, name) ? REGISTRY[name] : undefined)?.recipe ?? TUTORIAL_RECIPE;
}
