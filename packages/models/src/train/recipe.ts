// A model's training recipe with a caller's overrides applied and checked: the one place a recipe is resolved,
// for train() and for the CLI and the page, which show the settings before training.
import { MnistModelError } from '../errors.js';
import { type CrossEntropyForm, checkCrossEntropy, DEFAULT_CROSS_ENTROPY } from '../loss.js';
import type { TrainingRecipe } from '../model.js';

/** What a caller may change in a model's recipe; anything left out comes from the recipe. */
export interface RecipeOverrides {
  /** Passes over the training set (recipe default: 5). */
  epochs?: number;
  /** Samples per gradient step (recipe default: 32). */
  batchSize?: number;
  /** Adam's learning rate (recipe default: 0.001). */
  learningRate?: number;
  /**
   * Which Keras's sparse categorical cross-entropy to minimise and report (recipe default: `logits`, Keras on
   * TensorFlow's; `probabilities`, Keras 3 on JAX's or PyTorch's). See `CrossEntropyForm`. Given to `train`, it
   * applies to that call; to make `evaluate` and `predict` read the model the same way afterwards, set it in the
   * model's recipe instead (`{ ...model, recipe: resolveRecipe(model.recipe, overrides) }`).
   */
  crossEntropy?: CrossEntropyForm;
}

/**
 * The recipe `train` uses: `base` (a model's recipe) with the overrides applied, every setting checked, and the loss
 * form made explicit. Use it to show the settings of a run before it starts; `train(model, set, overrides)` resolves
 * the same way.
 *
 * @throws MnistModelError `BAD_INPUT` naming the first setting out of range
 */
export function resolveRecipe(
  base: Readonly<TrainingRecipe>,
  overrides: RecipeOverrides = {},
): TrainingRecipe {
  const recipe: TrainingRecipe = {
    ...base,
    ...(overrides.epochs !== undefined && { epochs: overrides.epochs }),
    ...(overrides.batchSize !== undefined && { batchSize: overrides.batchSize }),
    ...(overrides.learningRate !== undefined && { learningRate: overrides.learningRate }),
    crossEntropy: checkCrossEntropy(
      overrides.crossEntropy ?? base.crossEntropy ?? DEFAULT_CROSS_ENTROPY,
      overrides.crossEntropy === undefined ? 'train: the recipe' : 'train: crossEntropy',
    ),
  };
  if (!Number.isSafeInteger(recipe.epochs) || recipe.epochs < 0) {
    throw new MnistModelError(
      'BAD_INPUT',
      `train: epochs must be a non-negative integer; got ${recipe.epochs}.`,
    );
  }
  if (!Number.isSafeInteger(recipe.batchSize) || recipe.batchSize < 1 || recipe.batchSize > 65536) {
    throw new MnistModelError(
      'BAD_INPUT',
      `train: batchSize must be an integer from 1 to 65536; got ${recipe.batchSize}.`,
    );
  }
  if (!(recipe.learningRate > 0 && Number.isFinite(recipe.learningRate))) {
    throw new MnistModelError(
      'BAD_INPUT',
      `train: learningRate must be a positive finite number; got ${recipe.learningRate}.`,
    );
  }
  const decay = recipe.learningRateDecay;
  if (decay !== undefined && !(decay > 0 && Number.isFinite(decay))) {
    throw new MnistModelError(
      'BAD_INPUT',
      `train: learningRateDecay must be a positive finite number; got ${decay}.`,
    );
  }
  return recipe;
}
