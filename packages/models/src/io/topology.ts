// What building a model.json's topology would allocate, computed from the JSON alone, before tfjs sees it.
// tfjs creates every weight variable of a layers model while it deserialises the topology, before the weights
// file is compared with it: a hostile topology (a Dense layer of 10⁸ units, a padding of 10⁶ pixels) would make
// it allocate gigabytes. So the shapes are propagated here, per sample, through the layer kinds a digit classifier
// uses, and the model is refused when its weights or any activation would be out of proportion, or when a layer
// kind is unknown (its cost cannot be bounded).

import { MnistModelError } from '../errors.js';

import { MAX_ACTIVATION_ELEMENTS, MAX_LAYERS, MAX_OPERATIONS_PER_IMAGE } from './limits.js';

type Shape = number[];
type Config = Record<string, unknown>;

/** One weight a layer creates: its name inside the layer (`kernel`, `bias`, `gamma`, …) and its shape. */
export interface LayerWeight {
  readonly name: string;
  readonly shape: readonly number[];
  /** False for a batch normalisation's moving statistics (tfjs lists those after every trainable weight). */
  readonly trainable?: false;
}

/** One layer as sized from the topology JSON alone. */
export interface SizedLayer {
  /** The layer's name (tfjs prefixes its weights' names with it: `<name>/kernel`). */
  readonly name: string;
  /** Its Keras class name (`Dense`, `Conv2D`, `InputLayer`, …). */
  readonly className: string;
  /** Per-sample shapes of what it reads (one per inbound tensor; none for an `InputLayer`). */
  readonly inputShapes: readonly (readonly number[])[];
  /** Per-sample shape of what it gives. */
  readonly outputShape: readonly number[];
  /** The weights tfjs creates for it, in creation order (Keras's order too: `layer.get_weights()`). */
  readonly weights: readonly LayerWeight[];
  /** Its arithmetic per sample: multiply-adds, a window per pooled value, else one per value it gives. */
  readonly operations: number;
}

/** A topology sized per layer: what tfjs would build and allocate for it. */
export interface SizedTopology {
  /** `Sequential`, or a functional model (`Model`, `Functional`). */
  readonly functional: boolean;
  /** Every layer in the topology's order (the `InputLayer`s included). */
  readonly layers: readonly SizedLayer[];
  /** The number of weight values over all layers. */
  readonly weightCount: number;
  /** The arithmetic one sample costs, over all layers (at most {@link MAX_OPERATIONS_PER_IMAGE}). */
  readonly operations: number;
}
interface LayerJson {
  class_name?: unknown;
  config?: unknown;
  name?: unknown;
  inbound_nodes?: unknown;
}

/** Thrown inside this module; turned into a CORRUPT_FILE error naming the file by {@link topologyWeightCount}. */
class Unbounded extends Error {}

const fail = (why: string): never => {
  throw new Unbounded(why);
};

function positiveInt(value: unknown, what: string, max = MAX_ACTIVATION_ELEMENTS): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    fail(`${what} is ${JSON.stringify(value)}, not a whole number from 1 to ${max}`);
  }
  return value as number;
}

function nonNegativeInt(value: unknown, what: string, max = 4096): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    fail(`${what} is ${JSON.stringify(value)}, not a whole number from 0 to ${max}`);
  }
  return value as number;
}

/** A pair from `3` or `[3, 3]`, as Keras configs write kernel sizes, strides and pool sizes. */
function pair(value: unknown, what: string, fallback?: [number, number]): [number, number] {
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    return fail(`${what} is missing`);
  }
  const list = Array.isArray(value) ? value : [value, value];
  if (list.length !== 2) fail(`${what} is ${JSON.stringify(value)}, not one or two numbers`);
  return [positiveInt(list[0], what, 4096), positiveInt(list[1], what, 4096)];
}

/** The number of values of a shape (unchecked; see {@link elements}). */
function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function elements(shape: Shape): number {
  let product = 1;
  for (const dim of shape) product *= dim;
  if (product > MAX_ACTIVATION_ELEMENTS) {
    fail(
      `an activation of shape [${shape.join(', ')}] per sample is larger than ${MAX_ACTIVATION_ELEMENTS} values`,
    );
  }
  return product;
}

function image(shape: Shape, layer: string): [number, number, number] {
  if (shape.length !== 3)
    fail(`layer ${layer} needs an image input (height, width, channels), got [${shape}]`);
  return shape as [number, number, number];
}

function channelsLast(config: Config, layer: string): void {
  const format = config.data_format;
  if (format !== undefined && format !== null && format !== 'channels_last') {
    fail(`layer ${layer} uses data_format ${JSON.stringify(format)}; only channels_last is supported`);
  }
}

/** Output length of a convolution or pooling window along one axis, as TensorFlow computes it. */
function windowOutput(
  size: number,
  window: number,
  stride: number,
  dilation: number,
  padding: unknown,
): number {
  const span = (window - 1) * dilation + 1;
  if (padding === 'same') return Math.ceil(size / stride);
  if (padding === 'valid' || padding === undefined) return Math.floor((size - span) / stride) + 1;
  return fail(`padding ${JSON.stringify(padding)} is neither "same" nor "valid"`);
}

function spatial(
  config: Config,
  input: Shape,
  layer: string,
  window: [number, number],
  strides: [number, number],
) {
  const [height, width] = image(input, layer);
  const dilation = pair(config.dilation_rate, `${layer}.dilation_rate`, [1, 1]);
  const outHeight = windowOutput(height, window[0], strides[0], dilation[0], config.padding);
  const outWidth = windowOutput(width, window[1], strides[1], dilation[1], config.padding);
  if (outHeight < 1 || outWidth < 1) fail(`layer ${layer} leaves no pixels of a ${height}×${width} input`);
  return [outHeight, outWidth] as const;
}

/**
 * One layer: its output shape per sample, the weights tfjs creates for it and, for the layers that do more than
 * one operation per value they give, its arithmetic per sample (`operations`; else one per output value).
 */
function layerCost(
  kind: string,
  config: Config,
  inputs: Shape[],
  layer: string,
): { output: Shape; weights: LayerWeight[]; operations?: number } {
  const input = inputs[0] as Shape;
  const bias = (units: number): LayerWeight[] =>
    config.use_bias === false ? [] : [{ name: 'bias', shape: [units] }];
  switch (kind) {
    case 'Dense': {
      const units = positiveInt(config.units, `${layer}.units`);
      const fanIn = input[input.length - 1] as number;
      const output = [...input.slice(0, -1), units];
      return {
        output,
        weights: [{ name: 'kernel', shape: [fanIn, units] }, ...bias(units)],
        operations: product(output) * fanIn,
      };
    }
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      channelsLast(config, layer);
      const kernel = pair(config.kernel_size, `${layer}.kernel_size`);
      const strides = pair(config.strides, `${layer}.strides`, [1, 1]);
      const channels = image(input, layer)[2];
      const [height, width] = spatial(config, input, layer, kernel, strides);
      const window = kernel[0] * kernel[1];
      if (kind === 'Conv2D') {
        const filters = positiveInt(config.filters, `${layer}.filters`);
        return {
          output: [height, width, filters],
          weights: [{ name: 'kernel', shape: [...kernel, channels, filters] }, ...bias(filters)],
          operations: height * width * filters * window * channels,
        };
      }
      const multiplier = positiveInt(config.depth_multiplier ?? 1, `${layer}.depth_multiplier`, 4096);
      const depthwise = { name: 'depthwise_kernel', shape: [...kernel, channels, multiplier] };
      const depthwiseOperations = height * width * channels * multiplier * window;
      if (kind === 'DepthwiseConv2D') {
        const out = channels * multiplier;
        return {
          output: [height, width, out],
          weights: [depthwise, ...bias(out)],
          operations: depthwiseOperations,
        };
      }
      const filters = positiveInt(config.filters, `${layer}.filters`);
      return {
        output: [height, width, filters],
        weights: [
          depthwise,
          { name: 'pointwise_kernel', shape: [1, 1, channels * multiplier, filters] },
          ...bias(filters),
        ],
        operations: depthwiseOperations + height * width * channels * multiplier * filters,
      };
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      channelsLast(config, layer);
      const pool = pair(config.pool_size, `${layer}.pool_size`, [2, 2]);
      const strides = pair(config.strides, `${layer}.strides`, pool);
      const [height, width] = spatial({ ...config, dilation_rate: [1, 1] }, input, layer, pool, strides);
      const channels = image(input, layer)[2];
      return {
        output: [height, width, channels],
        weights: [],
        operations: height * width * channels * pool[0] * pool[1],
      };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      channelsLast(config, layer);
      return { output: [image(input, layer)[2]], weights: [], operations: product(input) };
    case 'Flatten':
      return { output: [elements(input)], weights: [] };
    case 'Reshape': {
      const target = config.target_shape;
      if (!Array.isArray(target) || target.length === 0 || target.length > 8) {
        return fail(`${layer}.target_shape is ${JSON.stringify(target)}`);
      }
      const total = elements(input);
      const known = target.filter((d) => d !== -1 && d !== null);
      const free = target.length - known.length;
      const product = known.reduce((a: number, d) => a * positiveInt(d, `${layer}.target_shape`), 1);
      if (free > 1 || (free === 0 && product !== total) || (free === 1 && total % product !== 0)) {
        fail(`${layer}.target_shape [${target}] does not hold the ${total} values of its input`);
      }
      return { output: target.map((d) => (d === -1 || d === null ? total / product : d)), weights: [] };
    }
    case 'ZeroPadding2D':
    case 'Cropping2D': {
      channelsLast(config, layer);
      const [height, width, channels] = image(input, layer);
      const raw = kind === 'ZeroPadding2D' ? config.padding : config.cropping;
      const sides = (Array.isArray(raw) ? raw : [raw, raw]).map((side) =>
        Array.isArray(side) ? side : [side, side],
      );
      const amounts = sides.flat().map((v) => nonNegativeInt(v, `${layer} padding or cropping`, 1024));
      if (amounts.length !== 4) fail(`${layer} padding or cropping ${JSON.stringify(raw)} is malformed`);
      const sign = kind === 'ZeroPadding2D' ? 1 : -1;
      const [top, bottom, left, right] = amounts as [number, number, number, number];
      const output = [height + sign * (top + bottom), width + sign * (left + right), channels];
      if ((output[0] as number) < 1 || (output[1] as number) < 1) fail(`${layer} crops away the whole image`);
      return { output, weights: [] };
    }
    case 'BatchNormalization':
    case 'LayerNormalization': {
      // The last axis, written as -1 or as its index counted with the batch axis (tfjs writes [rank]).
      const axes = Array.isArray(config.axis) ? config.axis : [config.axis ?? -1];
      if (axes.length !== 1 || !(axes[0] === -1 || axes[0] === input.length)) {
        fail(`${layer} normalises over axis ${JSON.stringify(config.axis)}; only the last axis is supported`);
      }
      const channels = [input[input.length - 1] as number];
      const weights: LayerWeight[] = [];
      if (config.scale !== false) weights.push({ name: 'gamma', shape: channels });
      if (config.center !== false) weights.push({ name: 'beta', shape: channels });
      if (kind === 'BatchNormalization') {
        weights.push(
          { name: 'moving_mean', shape: channels, trainable: false },
          { name: 'moving_variance', shape: channels, trainable: false },
        );
      }
      return { output: input, weights };
    }
    case 'Activation':
    case 'ReLU':
    case 'LeakyReLU':
    case 'ELU':
    case 'Softmax':
    case 'ThresholdedReLU':
    case 'Dropout':
    case 'SpatialDropout1D':
    case 'SpatialDropout2D':
    case 'GaussianNoise':
    case 'GaussianDropout':
    case 'AlphaDropout':
    case 'Masking':
      return { output: input, weights: [] };
    case 'Add':
    case 'Subtract':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
    case 'Minimum': {
      const first = JSON.stringify(input);
      if (inputs.some((shape) => JSON.stringify(shape) !== first))
        fail(`${layer} merges inputs of different shapes`);
      return { output: input, weights: [], operations: product(input) * inputs.length };
    }
    case 'Concatenate': {
      const rank = input.length;
      const axis = (config.axis ?? -1) as number;
      const at = axis < 0 ? rank + axis : axis;
      if (!Number.isInteger(at) || at < 0 || at >= rank) fail(`${layer}.axis ${axis} is outside the input`);
      const output = [...input];
      output[at] = inputs.reduce((sum, shape) => sum + (shape[at] as number), 0);
      return { output, weights: [] };
    }
    default:
      return fail(`layer ${layer} is a ${kind}, which loadModel cannot size safely`);
  }
}

/** tfjs's rule for tensor names; a layer's name becomes the prefix of its weights' names. */
const TENSOR_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

/** What tfjs would reject halfway through building (leaving the previous layers' weights allocated). */
function checkLayerBasics(config: Config, layer: string): void {
  if (config.name !== undefined && config.name !== null) {
    if (typeof config.name !== 'string' || config.name.length > 256 || !TENSOR_NAME.test(config.name)) {
      fail(`layer name ${JSON.stringify(config.name)} is not a valid tensor name`);
    }
  }
  if (config.dtype !== undefined && config.dtype !== null && config.dtype !== 'float32') {
    fail(`layer ${layer} has dtype ${JSON.stringify(config.dtype)}; weights are float32`);
  }
}

function inputShapeOf(config: Config, layer: string): Shape {
  const shape = config.batch_input_shape ?? config.batch_shape;
  if (!Array.isArray(shape) || shape.length < 2 || shape.length > 5) {
    return fail(`${layer} has no usable batch_input_shape (${JSON.stringify(shape)})`);
  }
  return shape.slice(1).map((d) => positiveInt(d, `${layer}.batch_input_shape`));
}

/** Names of the layers feeding a functional layer, from Keras's `inbound_nodes` ([[[name, node, tensor, {}], …]]). */
function inboundNames(layer: LayerJson, name: string): string[] {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  if (nodes.length > 1) fail(`layer ${name} is used more than once (shared layers are not supported)`);
  const node = nodes[0];
  if (!Array.isArray(node)) return fail(`layer ${name} has malformed inbound_nodes`);
  return node.map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string')
      return fail(`layer ${name} has malformed inbound_nodes`);
    return entry[0];
  });
}

function sizeLayers(layers: unknown, functional: boolean, maxOperations: number): SizedTopology {
  if (!Array.isArray(layers) || layers.length === 0) return fail('the topology lists no layers');
  if (layers.length > MAX_LAYERS) fail(`the topology lists ${layers.length} layers (at most ${MAX_LAYERS})`);
  const outputs = new Map<string, Shape>();
  const sized: SizedLayer[] = [];
  let previous: Shape | undefined;
  let total = 0;
  let operations = 0;
  for (const [index, raw] of layers.entries()) {
    const layer = (raw ?? {}) as LayerJson;
    const kind =
      typeof layer.class_name === 'string' ? layer.class_name : fail(`layer ${index} has no class_name`);
    const config = (typeof layer.config === 'object' && layer.config !== null ? layer.config : {}) as Config;
    const name = String(layer.name ?? config.name ?? `#${index}`);
    checkLayerBasics(config, name);
    let inputs: Shape[];
    if (kind === 'InputLayer') {
      const output = inputShapeOf(config, name);
      elements(output);
      outputs.set(name, output);
      sized.push({ name, className: kind, inputShapes: [], outputShape: output, weights: [], operations: 0 });
      previous = output;
      continue;
    }
    if (functional) {
      inputs = inboundNames(layer, name).map(
        (source) =>
          outputs.get(source) ?? fail(`layer ${name} reads ${source}, which comes later or not at all`),
      );
      if (inputs.length === 0) return fail(`layer ${name} has no input`);
    } else {
      // A Sequential model: the first layer may carry the input shape itself.
      const own = config.batch_input_shape ?? config.batch_shape;
      inputs = [
        previous ??
          (own !== undefined ? inputShapeOf(config, name) : fail(`layer ${name} has no input shape`)),
      ];
    }
    const cost = layerCost(kind, config, inputs, name);
    const { output, weights } = cost;
    const values = elements(output);
    for (const weight of weights) total += weight.shape.reduce((a, b) => a * b, 1);
    const layerOperations = Math.max(cost.operations ?? 0, values);
    operations += layerOperations;
    if (operations > maxOperations) {
      fail(
        `one image would cost more than ${maxOperations} operations (multiply-adds, and one per value ` +
          `of every other layer) by layer ${name} (layer ${index + 1} of ${layers.length}, which alone costs ` +
          `${layerOperations})`,
      );
    }
    outputs.set(name, output);
    sized.push({
      name,
      className: kind,
      inputShapes: inputs,
      outputShape: output,
      weights,
      operations: layerOperations,
    });
    previous = output;
  }
  return { functional, layers: sized, weightCount: total, operations };
}

/** The model config inside a `modelTopology` (Keras's `model_config` wrapper or the config itself). */
function unwrap(modelTopology: unknown): { class_name?: unknown; config?: unknown } {
  let topology = modelTopology as { class_name?: unknown; config?: unknown; model_config?: unknown };
  if (typeof topology === 'object' && topology !== null && 'model_config' in topology) {
    topology = topology.model_config as typeof topology;
  }
  if (typeof topology !== 'object' || topology === null) return fail('modelTopology is not an object');
  return topology;
}

/**
 * Sizes a `modelTopology` (Sequential or functional, also inside Keras's `model_config` wrapper) layer by layer,
 * from its JSON alone: every layer's input and output shapes per sample and the weights tfjs would create for it,
 * through the layer kinds of digit classifiers.
 *
 * @throws MnistModelError `CORRUPT_FILE` naming `file` when a layer kind is unknown, a size is not a sane whole
 * number, an activation would exceed {@link MAX_ACTIVATION_ELEMENTS} values per sample, or one sample would cost
 * more than `maxOperations` operations (default {@link MAX_OPERATIONS_PER_IMAGE}).
 */
export function sizeTopology(
  modelTopology: unknown,
  file: string,
  maxOperations = MAX_OPERATIONS_PER_IMAGE,
): SizedTopology {
  try {
    const topology = unwrap(modelTopology);
    const config = topology.config as { layers?: unknown } | unknown[] | undefined;
    // Old Sequential files keep the layer list directly in `config`.
    if (Array.isArray(config)) return sizeLayers(config, false, maxOperations);
    if (typeof config !== 'object' || config === null) return fail('modelTopology has no config');
    const functional = topology.class_name !== 'Sequential';
    return sizeLayers(config.layers, functional, maxOperations);
  } catch (error) {
    if (!(error instanceof Unbounded)) throw error;
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${file} describes a network that loadModel will not build: ${error.message}. An MNIST model saved by ` +
        'saveModel() or tf.LayersModel.save() has none of these problems; the file is damaged or not an MNIST model.',
      { file },
    );
  }
}

/**
 * The number of weight values tfjs would create for this `modelTopology`; see {@link sizeTopology}.
 *
 * @throws MnistModelError `CORRUPT_FILE` naming `file` when the topology cannot be sized safely.
 */
export function topologyWeightCount(modelTopology: unknown, file: string): number {
  return sizeTopology(modelTopology, file).weightCount;
}
