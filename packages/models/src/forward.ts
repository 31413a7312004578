// A model's forward pass as the loss and the probabilities read it: the outputs and, for a sigmoid or softmax
// output layer, the logits under that activation (the values Keras 3 on TensorFlow computes its loss from).
import { clipByValue, div, max, softmax, sub, sum, type Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { temperatureScaled } from './calibration/apply.js';
import { checkTemperature } from './calibration/temperature.js';
import { type CrossEntropyForm, DEFAULT_CROSS_ENTROPY, type ForwardPass, numericEpsilon } from './loss.js';
import type { MnistModel } from './model.js';

/** The slice of a tfjs activation object a layer calls. */
interface ActivationFunction {
  apply(x: Tensor): Tensor;
  getClassName(): string;
}

/** A layer that applies an activation to its result: Dense, Conv2D, Activation. */
type LayerWithActivation = LayersModel['outputLayers'][number] & { activation: ActivationFunction };

/**
 * Stands in for the output layer's activation while the logits are computed. Its class name is not one tfjs fuses
 * into the matrix product, so Dense runs the same dot and bias add as with the sigmoid it replaces, and the
 * outputs computed from these logits are bit for bit those of a plain `apply`.
 */
const IDENTITY: ActivationFunction = { apply: (x) => x, getClassName: () => 'identity' };

/** The output layer and its activation, when that activation is one whose logits Keras 3 reads. */
export function logitHead(
  model: MnistModel,
): { layer: LayerWithActivation; activation: 'sigmoid' | 'softmax' } | undefined {
  // The layer behind the one output tensor (a Sequential model keeps its `outputLayers` on an inner model).
  const { outputs } = model.layersModel;
  if (outputs.length !== 1) return undefined;
  const layer = outputs[0]?.sourceLayer as Partial<LayerWithActivation> | undefined;
  if (layer === undefined) return undefined;
  const name = layer.activation?.getClassName?.();
  if (name !== 'sigmoid' && name !== 'softmax') return undefined;
  return { layer: layer as LayerWithActivation, activation: name };
}

/**
 * Runs the model on `x` and returns its outputs and, for a sigmoid or softmax output layer, the logits under that
 * activation. The logits come from the same call with the activation briefly set aside (synchronously, so nothing
 * else can run the model meanwhile); the outputs are that activation applied to them, identical to `apply`'s.
 */
export function forwardPass(model: MnistModel, x: Tensor, training: boolean): ForwardPass {
  const head = logitHead(model);
  if (head === undefined) {
    return { outputs: model.layersModel.apply(x, { training }) as Tensor, logits: undefined };
  }
  const activation = head.layer.activation;
  head.layer.activation = IDENTITY;
  let logits: Tensor;
  try {
    logits = model.layersModel.apply(x, { training }) as Tensor;
  } finally {
    head.layer.activation = activation;
  }
  return { outputs: activation.apply(logits), logits };
}

/** The cross-entropy form a model is trained and evaluated with: its recipe's, else Keras 3 on TensorFlow's. */
export function crossEntropyOf(model: Pick<MnistModel, 'recipe'>): CrossEntropyForm {
  return model.recipe.crossEntropy ?? DEFAULT_CROSS_ENTROPY;
}

/**
 * The class probabilities a user of the model sees (what `predict` returns and calibration is measured on), read
 * the way its loss reads the outputs: softmax(logits / T) for the `logits` form, else the outputs clipped to
 * [ε, 1−ε] and normalised to sum 1, then at the model's temperature T (softmax(log p / T)).
 */
export function classProbabilities(
  pass: ForwardPass,
  model: MnistModel,
  form = crossEntropyOf(model),
): Tensor {
  if (form === 'logits' && pass.logits !== undefined) {
    const temperature = model.temperature;
    if (temperature === undefined || temperature === 1) return softmax(pass.logits);
    // A model is a plain object: a temperature can arrive without withTemperature's check. The row's largest
    // logit is taken out before dividing, so that large logits at a small temperature give 0 and 1, not ∞ − ∞.
    const shifted = sub(pass.logits, max(pass.logits, 1, true));
    return softmax(div(shifted, checkTemperature(temperature, 'model.temperature')));
  }
  const epsilon = numericEpsilon();
  const clipped = clipByValue(pass.outputs, epsilon, 1 - epsilon);
  return temperatureScaled(div(clipped, sum(clipped, 1, true)), model.temperature);
}
