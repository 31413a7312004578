import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { AugmentParams } from './augment/params.js';
import type { CrossEntropyForm } from './loss.js';

/** The models this package can build by name. */
export type ModelName = 'simple' | 'mlp' | 'cnn';

/** Every model name {@link createModel} accepts, in the order the docs list them. */
export const MODEL_NAMES: readonly ModelName[] = ['simple', 'mlp', 'cnn'];

/** The entries of a per-model record in {@link MODEL_NAMES} order, absent ones left out (for generated files). */
export function inModelOrder<T>(record: Partial<Record<ModelName, T>>): Partial<Record<ModelName, T>> {
  return Object.fromEntries(
    MODEL_NAMES.filter((name) => record[name] !== undefined).map((name) => [name, record[name]]),
  );
}

/**
 * How a model wants its pixels: `flat` is a row of 784 values (the tutorial's dense models),
 * `image` is a 28×28×1 tensor (convolutional models). Both take values in 0..1.
 */
export type InputKind = 'flat' | 'image';

/**
 * How a model is trained by default. The tutorial's recipe (Adam 0.001, sparse categorical cross-entropy,
 * batch 32, 5 epochs) is {@link TUTORIAL_RECIPE}; a model may bring its own (the `cnn` does).
 * Plain data only: it is stored in `model.json` next to the weights.
 */
export interface TrainingRecipe {
  /** The optimiser. Only Adam is used by the shipped models. */
  optimizer: 'adam';
  /** Adam's learning rate at the first epoch. */
  learningRate: number;
  /** The loss; see `sparseCrossEntropyPerSample` for the exact (Keras) math. */
  loss: 'sparse-categorical-crossentropy';
  /**
   * Which Keras's form of that loss (absent: `logits`, Keras 3 on TensorFlow's: a softmax cross-entropy over the
   * output layer's logits). `probabilities` is Keras 2 / tf.keras's and Keras 3's on JAX or PyTorch. It also
   * decides how `predict` turns outputs into probabilities. See {@link CrossEntropyForm}.
   */
  crossEntropy?: CrossEntropyForm;
  /** Samples per gradient step. */
  batchSize: number;
  /** Passes over the training set. */
  epochs: number;
  /**
   * Multiply the learning rate by this factor after every epoch (1 or absent: constant rate).
   * Epoch `e` (0-based) trains with `learningRate * learningRateDecay ** e`.
   */
  learningRateDecay?: number;
  /**
   * Random translation of each training image by up to this many pixels in x and y (0 or absent: none).
   * Only applies to `image` models.
   */
  maxShift?: number;
  /**
   * Augmentation that models drawing on a canvas (see `augment`), seeded per sample from the training seed, the
   * epoch and the image's index. Only applies to `image` models; replaces `maxShift` when both are given.
   */
  augmentation?: AugmentParams;
}

/**
 * The Keras tutorial's recipe, exact: Adam with learning rate 0.001 (β1 0.9, β2 0.999, ε 1e-7 as in Keras),
 * sparse categorical cross-entropy as Keras 3 on TensorFlow computes it, batch 32, 5 epochs. Inputs are scaled ÷255 (and flattened for `flat` models).
 */
export const TUTORIAL_RECIPE: Readonly<TrainingRecipe> = Object.freeze({
  optimizer: 'adam',
  learningRate: 0.001,
  loss: 'sparse-categorical-crossentropy',
  crossEntropy: 'logits',
  batchSize: 32,
  epochs: 5,
});

/**
 * A digit classifier: a tfjs `LayersModel` taking MNIST images and giving 10 outputs (one per digit),
 * together with what this package needs to train, save and use it.
 */
export interface MnistModel {
  /** `simple`, `mlp`, `cnn`, or the name recorded in a loaded `model.json` (`custom` when none). */
  readonly name: ModelName | (string & {});
  /** The tfjs layers model. Use it directly for anything this package does not wrap. */
  readonly layersModel: LayersModel;
  /** Whether the network takes 784 flat values or a 28×28×1 image. */
  readonly inputKind: InputKind;
  /** The default training recipe {@link train} uses for this model. */
  readonly recipe: Readonly<TrainingRecipe>;
  /** The seed its initial weights came from, when it was created by {@link createModel}. */
  readonly seed?: number;
  /**
   * Temperature that calibrates its probabilities (see `fitModelTemperature`), applied by {@link predict} and
   * {@link classify}: softmax(log p / T). Absent: 1, the probabilities as the network gives them.
   */
  readonly temperature?: number;
}
