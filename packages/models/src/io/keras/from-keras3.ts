// A Keras 3 model config (the `config.json` of a `.keras` file, or what `model.to_json()` returns) turned into the
// Keras 2 layout that tfjs-layers deserialises and that the rest of this package checks (topology.ts sizes it,
// build.ts builds it). Only layer kinds whose math tfjs-layers reproduces exactly are converted, each with an
// explicit list of its settings: a setting that would change the math and that tfjs has no twin of (a Dense
// layer's LoRA rank, a grouped convolution, a leaky ReLU slope, mixed precision) is refused by name rather than
// dropped. Training-only settings (initialisers, regularisers, constraints) are not carried over: a loaded
// model's weights come from the file.

import { MnistModelError } from '../../errors.js';
import { SIDE } from '../../input.js';
import { refuseCode } from './trust.js';

type Json = Record<string, unknown>;

/** The layer kinds converted from Keras 3, in the order messages list them. */
export const KERAS_LAYERS = [
  'InputLayer',
  'Dense',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Reshape',
  'ZeroPadding2D',
  'BatchNormalization',
  'Dropout',
  'Activation',
  'ReLU',
  'Softmax',
] as const;

/** Activations whose math is the same in Keras 3 and tfjs-layers (Keras 3's `hard_sigmoid`, `gelu` and
 * `silu` are not: they differ in constants or approximation). */
export const KERAS_ACTIVATIONS = [
  'linear',
  'relu',
  'sigmoid',
  'softmax',
  'tanh',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'relu6',
] as const;

/** What the compile config says, kept as plain data. */
export interface KerasCompileInfo {
  /** The optimizer's class (`Adam`, `SGD`, …). */
  optimizer?: string;
  /** Its learning rate when it is a plain number. */
  learningRate?: number;
  /** The loss as Keras recorded it (a name, or a serialized loss object). */
  loss?: unknown;
  /** The metrics as Keras recorded them. */
  metrics?: unknown;
}

/** A Keras 3 config converted for tfjs. */
export interface ConvertedKeras3 {
  /** The model config in the Keras 2 layout tfjs-layers reads (`modelTopology`). */
  modelTopology: Json;
  /** The Keras model's name. */
  name: string;
  /** The compile config's optimizer, loss and metrics, when the model was compiled. */
  compile?: KerasCompileInfo;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A conversion failure: becomes an error naming the file. */
class Refusal extends Error {
  constructor(
    readonly code: 'UNSUPPORTED' | 'CORRUPT_FILE' | 'WRONG_ARCHITECTURE',
    message: string,
  ) {
    super(message);
  }
}

const unsupported = (message: string): never => {
  throw new Refusal('UNSUPPORTED', message);
};
const malformed = (message: string): never => {
  throw new Refusal('CORRUPT_FILE', message);
};

/** float32 is the only weight type: a DTypePolicy object, its name, or nothing. */
function checkDtype(config: Json, layer: string): void {
  const dtype = config.dtype;
  const name = isObject(dtype) ? (isObject(dtype.config) ? dtype.config.name : undefined) : dtype;
  if (dtype !== undefined && dtype !== null && name !== 'float32') {
    unsupported(
      `layer '${layer}' computes in ${JSON.stringify(name ?? dtype)}; only float32 layers load (mixed precision ` +
        'and quantised layers do not)',
    );
  }
}

/** A setting that must be at its default (absent, null or the given value), else the layer is refused. */
function requireDefault(
  config: Json,
  key: string,
  layer: string,
  kind: string,
  ...defaults: unknown[]
): void {
  const value = config[key];
  if (
    value === undefined ||
    value === null ||
    defaults.some((d) => JSON.stringify(d) === JSON.stringify(value))
  ) {
    return;
  }
  unsupported(
    `${kind} layer '${layer}' sets ${key} to ${JSON.stringify(value)}, which tfjs cannot reproduce`,
  );
}

function activation(value: unknown, layer: string): string {
  const name = value ?? 'linear';
  if (typeof name !== 'string' || !(KERAS_ACTIVATIONS as readonly string[]).includes(name)) {
    unsupported(
      `layer '${layer}' uses the activation ${JSON.stringify(name)}; supported: ${KERAS_ACTIVATIONS.join(', ')}`,
    );
  }
  return name as string;
}

function channelsLast(config: Json, layer: string): 'channels_last' {
  const format = config.data_format ?? 'channels_last';
  if (format !== 'channels_last') {
    unsupported(`layer '${layer}' uses data_format ${JSON.stringify(format)}; only channels_last loads`);
  }
  return 'channels_last';
}

/** The tfjs config of one layer: its own settings, copied one by one; `name` and `trainable` for all. */
function layerConfig(kind: string, config: Json, layer: string): Json {
  checkDtype(config, layer);
  const common = { name: layer, trainable: config.trainable !== false, dtype: 'float32' };
  const zeros = { class_name: 'Zeros', config: {} };
  switch (kind) {
    case 'Dense':
      requireDefault(config, 'lora_rank', layer, kind, 0);
      requireDefault(config, 'quantization_config', layer, kind);
      return {
        ...common,
        units: config.units,
        activation: activation(config.activation, layer),
        use_bias: config.use_bias !== false,
        kernel_initializer: zeros,
        bias_initializer: zeros,
      };
    case 'Conv2D':
      requireDefault(config, 'groups', layer, kind, 1);
      requireDefault(config, 'lora_rank', layer, kind, 0);
      return {
        ...common,
        filters: config.filters,
        kernel_size: config.kernel_size,
        strides: config.strides ?? [1, 1],
        padding: config.padding ?? 'valid',
        data_format: channelsLast(config, layer),
        dilation_rate: config.dilation_rate ?? [1, 1],
        activation: activation(config.activation, layer),
        use_bias: config.use_bias !== false,
        kernel_initializer: zeros,
        bias_initializer: zeros,
      };
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return {
        ...common,
        pool_size: config.pool_size ?? [2, 2],
        padding: config.padding ?? 'valid',
        strides: config.strides ?? config.pool_size ?? [2, 2],
        data_format: channelsLast(config, layer),
      };
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      requireDefault(config, 'keepdims', layer, kind, false);
      return { ...common, data_format: channelsLast(config, layer) };
    case 'Flatten':
      return { ...common, data_format: channelsLast(config, layer) };
    case 'Reshape':
      return { ...common, target_shape: config.target_shape };
    case 'ZeroPadding2D':
      return { ...common, padding: config.padding, data_format: channelsLast(config, layer) };
    case 'BatchNormalization':
      requireDefault(config, 'renorm', layer, kind, false);
      return {
        ...common,
        axis: config.axis ?? -1,
        momentum: config.momentum ?? 0.99,
        epsilon: config.epsilon ?? 1e-3,
        center: config.center !== false,
        scale: config.scale !== false,
        beta_initializer: zeros,
        gamma_initializer: zeros,
        moving_mean_initializer: zeros,
        moving_variance_initializer: zeros,
      };
    case 'Dropout':
      return {
        ...common,
        rate: config.rate,
        ...(Array.isArray(config.noise_shape) && { noise_shape: config.noise_shape }),
      };
    case 'Activation':
      return { ...common, activation: activation(config.activation, layer) };
    case 'ReLU':
      requireDefault(config, 'negative_slope', layer, kind, 0);
      requireDefault(config, 'threshold', layer, kind, 0);
      return { ...common, ...(typeof config.max_value === 'number' && { max_value: config.max_value }) };
    case 'Softmax':
      requireDefault(config, 'axis', layer, kind, -1, [-1]);
      return { ...common, axis: -1 };
    default:
      return unsupported(
        `layer '${layer}' is a ${kind}, which the .keras reader does not convert; supported: ${KERAS_LAYERS.join(', ')}`,
      );
  }
}

/** `["name", 0, 0]` or `[["name", 0, 0], …]` (Keras 3 writes the first for one tensor). */
function tensorRefs(value: unknown, what: string): [string, number, number][] {
  const list = Array.isArray(value) && typeof value[0] === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) return malformed(`${what} is ${JSON.stringify(value)}`);
  return list.map((ref) => {
    if (!Array.isArray(ref) || typeof ref[0] !== 'string' || ref[1] !== 0 || ref[2] !== 0) {
      return unsupported(
        `${what} names ${JSON.stringify(ref)}; only single-use layers load (no shared layers)`,
      );
    }
    return [ref[0], 0, 0];
  });
}

/** The one layer a Keras 3 call record reads: `{args: [{class_name: '__keras_tensor__', config: {keras_history}}]}`. */
function inboundLayer(layer: Json, name: string): string {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length !== 1) {
    return unsupported(
      `layer '${name}' is called ${Array.isArray(nodes) ? nodes.length : 0} times; only layers called once load`,
    );
  }
  const node = nodes[0];
  const args = isObject(node) && Array.isArray(node.args) ? node.args : undefined;
  const tensor = args?.length === 1 && isObject(args[0]) ? args[0] : undefined;
  const history = isObject(tensor?.config) ? (tensor.config as Json).keras_history : undefined;
  if (
    tensor?.class_name !== '__keras_tensor__' ||
    !Array.isArray(history) ||
    typeof history[0] !== 'string'
  ) {
    return unsupported(
      `layer '${name}' reads several tensors or a structure of them; only one input per layer loads`,
    );
  }
  if (history[1] !== 0 || history[2] !== 0) {
    return unsupported(
      `layer '${name}' reads output ${JSON.stringify(history.slice(1))} of '${history[0]}'; only single-use layers load`,
    );
  }
  return history[0];
}

/**
 * The input shape of an InputLayer as tfjs's `batch_input_shape`. A 28×28 input read by a Flatten or a Reshape
 * (the tensorflow.org beginner model) becomes 28×28×1: both read the same 784 values in the same order, and
 * 28×28×1 is an input this package feeds.
 */
function inputShape(config: Json, name: string, reader: string | undefined): (number | null)[] {
  const shape = config.batch_shape ?? config.batch_input_shape;
  if (!Array.isArray(shape) || shape.length < 2) return malformed(`InputLayer '${name}' has no batch_shape`);
  if (config.sparse === true || config.ragged === true)
    unsupported(`InputLayer '${name}' takes sparse or ragged tensors`);
  const dims = shape.slice(1) as unknown[];
  if (dims.length === 2 && dims[0] === SIDE && dims[1] === SIDE) {
    if (reader === 'Flatten' || reader === 'Reshape') return [null, SIDE, SIDE, 1];
    throw new Refusal(
      'WRONG_ARCHITECTURE',
      `InputLayer '${name}' takes 28×28 images straight into a ${reader ?? 'nothing'}; @mnist/models feeds 784 ` +
        'values or 28×28×1 images. Build the model with keras.Input((28, 28, 1)), or put a Flatten first',
    );
  }
  return [null, ...(dims as (number | null)[])];
}

function modelName(config: Json): string {
  const name = config.name;
  return typeof name === 'string' && /^[A-Za-z0-9][-A-Za-z0-9._]{0,63}$/.test(name) ? name : 'keras';
}

/**
 * Keras records a learning rate as its float32 value in float64 (0.001 as 0.0010000000474974513): the shortest
 * decimal with the same float32 value gives the rate as it was written.
 */
function float32Decimal(value: number): number {
  for (let digits = 1; digits < 17; digits++) {
    const shorter = Number(value.toPrecision(digits));
    if (Math.fround(shorter) === Math.fround(value)) return shorter;
  }
  return value;
}

function compileInfo(compile: unknown): KerasCompileInfo | undefined {
  if (!isObject(compile) || Object.keys(compile).length === 0) return undefined;
  const optimizer = isObject(compile.optimizer) ? compile.optimizer : undefined;
  const rate = isObject(optimizer?.config) ? (optimizer.config as Json).learning_rate : undefined;
  return {
    ...(typeof optimizer?.class_name === 'string' && { optimizer: optimizer.class_name }),
    ...(typeof rate === 'number' &&
      Number.isFinite(rate) &&
      rate > 0 && { learningRate: float32Decimal(rate) }),
    ...(compile.loss !== undefined && { loss: compile.loss }),
    ...(compile.metrics !== undefined && { metrics: compile.metrics }),
  };
}

/**
 * Converts a Keras 3 model config (Sequential or functional, of the layer kinds in {@link KERAS_LAYERS}) into the
 * Keras 2 layout tfjs-layers reads, after refusing any code or custom object in it (see `trust.ts`).
 *
 * @throws MnistModelError `UNSUPPORTED` (a layer kind or setting that does not load, code, custom objects),
 * `CORRUPT_FILE` (a malformed config) or `WRONG_ARCHITECTURE`, naming `file`.
 */
export function fromKeras3(config: unknown, file: string): ConvertedKeras3 {
  refuseCode(config, file);
  try {
    if (!isObject(config) || !isObject(config.config)) return malformed('it is not a Keras model config');
    const kind = config.class_name;
    if (kind !== 'Sequential' && kind !== 'Functional' && kind !== 'Model') {
      return unsupported(`it holds a ${JSON.stringify(kind)}, not a Sequential or functional model`);
    }
    const functional = kind !== 'Sequential';
    const inner = config.config;
    const raw = inner.layers;
    if (!Array.isArray(raw) || raw.length === 0) return malformed('it lists no layers');
    const layers = raw.map((layer, index) => {
      if (!isObject(layer) || typeof layer.class_name !== 'string')
        return malformed(`layer ${index} has no class_name`);
      const own = isObject(layer.config) ? layer.config : {};
      const name =
        typeof own.name === 'string' ? own.name : typeof layer.name === 'string' ? layer.name : undefined;
      if (name === undefined) return malformed(`layer ${index} has no name`);
      if (['Sequential', 'Functional', 'Model'].includes(layer.class_name)) {
        return unsupported(
          `layer '${name}' is a whole model nested inside the model; save the inner model on its own`,
        );
      }
      return { kind: layer.class_name, config: own, name, json: layer };
    });
    const sources = functional
      ? layers.map((layer) =>
          layer.kind === 'InputLayer' ? undefined : inboundLayer(layer.json, layer.name),
        )
      : [];
    // Who reads each layer (for a 28×28 input: is it a Flatten?).
    const readerOf = (index: number): string | undefined => {
      if (!functional) return layers[index + 1]?.kind;
      const readers = layers.filter((_, i) => sources[i] === layers[index]?.name);
      return readers.length === 1 ? readers[0]?.kind : undefined;
    };
    const converted: Json[] = [];
    if (!functional && layers[0]?.kind !== 'InputLayer') {
      // A Sequential model built without keras.Input: its input shape is the model's build shape.
      const build =
        inner.build_input_shape ??
        (isObject(config.build_config) ? config.build_config.input_shape : undefined);
      converted.push({
        class_name: 'InputLayer',
        config: {
          batch_input_shape: inputShape({ batch_shape: build }, 'input_layer', layers[0]?.kind),
          dtype: 'float32',
          sparse: false,
          name: 'input_layer',
        },
      });
    }
    for (const [index, layer] of layers.entries()) {
      const entry: Json =
        layer.kind === 'InputLayer'
          ? {
              class_name: 'InputLayer',
              config: {
                batch_input_shape: inputShape(layer.config, layer.name, readerOf(index)),
                dtype: 'float32',
                sparse: false,
                name: layer.name,
              },
            }
          : { class_name: layer.kind, config: layerConfig(layer.kind, layer.config, layer.name) };
      if (functional) {
        entry.name = layer.name;
        const source = sources[index];
        entry.inbound_nodes = source === undefined ? [] : [[[source, 0, 0, {}]]];
      }
      converted.push(entry);
    }
    const name = modelName(inner);
    const modelConfig: Json = { name, layers: converted };
    if (functional) {
      modelConfig.input_layers = tensorRefs(inner.input_layers, 'input_layers');
      modelConfig.output_layers = tensorRefs(inner.output_layers, 'output_layers');
    }
    const compile = compileInfo(config.compile_config);
    return {
      modelTopology: {
        class_name: functional ? 'Model' : 'Sequential',
        config: modelConfig,
        keras_version: 'keras 3 (converted by @mnist/models)',
        backend: 'tensor_flow.js',
      },
      name,
      ...(compile !== undefined && { compile }),
    };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const fix =
      error.code === 'UNSUPPORTED'
        ? 'Rebuild the model from the supported layers, or keep using it in Keras.'
        : error.code === 'WRONG_ARCHITECTURE'
          ? ''
          : 'The file is damaged or not a Keras model: save it again with model.save("model.keras").';
    throw new MnistModelError(error.code, `${file}: ${error.message}.${fix === '' ? '' : ` ${fix}`}`, {
      file,
    });
  }
}
