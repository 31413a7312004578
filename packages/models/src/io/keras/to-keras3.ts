// A tfjs model's topology (the Keras 2 layout tfjs-layers saves) written as the Keras 3 config that
// `keras.saving.load_model` deserialises, compiled as the Keras tutorial compiles: Adam at the model recipe's
// learning rate, sparse_categorical_crossentropy, metrics ["accuracy"]. Only settings every Keras 3 release
// accepts are written, so that older Keras 3 versions load the file too. The layer kinds are those the reader
// converts back (from-keras3.ts), so a file written here loads here again.

import { MnistModelError } from '../../errors.js';
import { type SizedTopology, sizeTopology } from '../topology.js';
import { KERAS_ACTIVATIONS, KERAS_LAYERS } from './from-keras3.js';
import { layerGroups, savedByKeras } from './layout.js';

type Json = Record<string, unknown>;

/** One layer whose weights Keras keeps in `model.weights.h5`. */
export interface SavedLayer {
  /** Its group, e.g. `layers/dense_1`. */
  group: string;
  /** The layer's name. */
  layer: string;
  /** Its weights in Keras's order (`vars/0`, `vars/1`, …), with the tfjs name of each. */
  weights: { tfjsName: string; shape: readonly number[]; trainable: boolean }[];
}

/** A model's Keras 3 config and where its weights go. */
export interface Keras3Model {
  /** `config.json`'s document. */
  config: Json;
  /** The layers Keras saves weights for, in `model.layers` order. */
  saved: SavedLayer[];
}

/** What to compile the Keras model with. */
export interface CompileAs {
  learningRate: number;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const unsupported = (file: string, what: string): never => {
  throw new MnistModelError(
    'UNSUPPORTED',
    `Cannot write ${file} as a .keras file: ${what}. The .keras writer takes the layer kinds ${KERAS_LAYERS.join(', ')}.`,
    { file },
  );
};

/** Keras's own serialized form of a built-in object. */
function kerasObject(module: string, className: string, config: Json): Json {
  return { module, class_name: className, config, registered_name: null };
}

/** tfjs's initializer names for those Keras 3 has under another spelling. */
const INITIALIZERS: Record<string, string> = {
  Zeros: 'Zeros',
  Ones: 'Ones',
  VarianceScaling: 'VarianceScaling',
  GlorotUniform: 'GlorotUniform',
  GlorotNormal: 'GlorotNormal',
  HeUniform: 'HeUniform',
  HeNormal: 'HeNormal',
  LeCunUniform: 'LecunUniform',
  LeCunNormal: 'LecunNormal',
};

function initializer(value: unknown, file: string, layer: string): Json {
  const className = isObject(value) ? String(value.class_name) : 'Zeros';
  const config = isObject(value) && isObject(value.config) ? value.config : {};
  const kerasName = Object.hasOwn(INITIALIZERS, className) ? INITIALIZERS[className] : undefined;
  if (kerasName === undefined) return unsupported(file, `layer '${layer}' uses the initializer ${className}`);
  const seed = typeof config.seed === 'number' ? config.seed : null;
  if (kerasName === 'VarianceScaling') {
    return kerasObject('keras.initializers', kerasName, {
      scale: config.scale ?? 1,
      mode: config.mode ?? 'fan_in',
      // tfjs's 'normal' draws from a truncated normal, Keras's 'truncated_normal'.
      distribution:
        config.distribution === 'normal' ? 'truncated_normal' : (config.distribution ?? 'truncated_normal'),
      seed,
    });
  }
  return kerasObject(
    'keras.initializers',
    kerasName,
    kerasName === 'Zeros' || kerasName === 'Ones' ? {} : { seed },
  );
}

function activation(value: unknown, file: string, layer: string): string {
  const name = value ?? 'linear';
  if (typeof name !== 'string' || !(KERAS_ACTIVATIONS as readonly string[]).includes(name)) {
    return unsupported(file, `layer '${layer}' uses the activation ${JSON.stringify(name)}`);
  }
  return name;
}

const pair = (value: unknown, fallback: number[]): unknown =>
  typeof value === 'number' ? [value, value] : (value ?? fallback);

/** A layer's Keras 3 `config`, from its tfjs config. */
function layerConfig(kind: string, c: Json, name: string, file: string): Json {
  const common = { name, trainable: c.trainable !== false, dtype: 'float32' };
  const noPenalties = {
    kernel_regularizer: null,
    bias_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  };
  for (const key of [
    'kernel_regularizer',
    'bias_regularizer',
    'activity_regularizer',
    'kernel_constraint',
    'bias_constraint',
  ]) {
    if (c[key] !== undefined && c[key] !== null)
      unsupported(file, `layer '${name}' has a ${key.replace('_', ' ')}`);
  }
  switch (kind) {
    case 'Dense':
      return {
        ...common,
        units: c.units,
        activation: activation(c.activation, file, name),
        use_bias: c.use_bias !== false,
        kernel_initializer: initializer(c.kernel_initializer, file, name),
        bias_initializer: initializer(c.bias_initializer, file, name),
        ...noPenalties,
      };
    case 'Conv2D':
      return {
        ...common,
        filters: c.filters,
        kernel_size: pair(c.kernel_size, [1, 1]),
        strides: pair(c.strides, [1, 1]),
        padding: c.padding ?? 'valid',
        data_format: 'channels_last',
        dilation_rate: pair(c.dilation_rate, [1, 1]),
        groups: 1,
        activation: activation(c.activation, file, name),
        use_bias: c.use_bias !== false,
        kernel_initializer: initializer(c.kernel_initializer, file, name),
        bias_initializer: initializer(c.bias_initializer, file, name),
        ...noPenalties,
      };
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return {
        ...common,
        pool_size: pair(c.pool_size, [2, 2]),
        padding: c.padding ?? 'valid',
        strides: pair(c.strides ?? c.pool_size, [2, 2]),
        data_format: 'channels_last',
      };
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return { ...common, data_format: 'channels_last', keepdims: false };
    case 'Flatten':
      return { ...common, data_format: 'channels_last' };
    case 'Reshape':
      return { ...common, target_shape: c.target_shape };
    case 'ZeroPadding2D':
      return { ...common, padding: c.padding, data_format: 'channels_last' };
    case 'BatchNormalization':
      return {
        ...common,
        axis: -1,
        momentum: c.momentum ?? 0.99,
        epsilon: c.epsilon ?? 1e-3,
        center: c.center !== false,
        scale: c.scale !== false,
        beta_initializer: initializer(c.beta_initializer, file, name),
        gamma_initializer: initializer(c.gamma_initializer, file, name),
        moving_mean_initializer: initializer(c.moving_mean_initializer, file, name),
        moving_variance_initializer: initializer(c.moving_variance_initializer, file, name),
        beta_regularizer: null,
        gamma_regularizer: null,
        beta_constraint: null,
        gamma_constraint: null,
      };
    case 'Dropout':
      return {
        ...common,
        rate: c.rate,
        seed: typeof c.seed === 'number' ? c.seed : null,
        noise_shape: c.noise_shape ?? null,
      };
    case 'Activation':
      return { ...common, activation: activation(c.activation, file, name) };
    case 'ReLU':
      return { ...common, max_value: c.max_value ?? null, negative_slope: 0, threshold: 0 };
    case 'Softmax':
      return { ...common, axis: -1 };
    default:
      return unsupported(file, `layer '${name}' is a ${kind}`);
  }
}

/** The Keras tutorial's compile config, at `learningRate`. */
export function tutorialCompileConfig(learningRate: number): Json {
  return {
    optimizer: kerasObject('keras.optimizers', 'Adam', {
      name: 'adam',
      learning_rate: learningRate,
      beta_1: 0.9,
      beta_2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
    }),
    loss: 'sparse_categorical_crossentropy',
    loss_weights: null,
    metrics: ['accuracy'],
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

const withBatch = (shape: readonly number[]): (number | null)[] => [null, ...shape];

/**
 * Writes a tfjs `modelTopology` (Sequential or functional, of the layer kinds in `KERAS_LAYERS`) as a Keras 3
 * config compiled as `compile` says, and lists where Keras keeps each layer's weights.
 *
 * @throws MnistModelError `UNSUPPORTED` naming the layer and setting that Keras 3 would not read back the same
 */
export function toKeras3(modelTopology: unknown, compile: CompileAs, file: string): Keras3Model {
  const sized: SizedTopology = sizeTopology(modelTopology, file);
  let topology = modelTopology as Json;
  if (isObject(topology.model_config)) topology = topology.model_config;
  const inner = (isObject(topology.config) ? topology.config : {}) as Json;
  const rawLayers = (
    Array.isArray(inner.layers) ? inner.layers : Array.isArray(topology.config) ? topology.config : []
  ) as Json[];
  const functional = sized.functional;
  const modelName = typeof inner.name === 'string' ? inner.name : 'model';
  const names = new Set(sized.layers.map((layer) => layer.name));
  const layers: Json[] = [];
  const classNames: string[] = [];
  const sizedLayers = [...sized.layers];
  const first = sizedLayers[0];
  if (!functional && first !== undefined && first.className !== 'InputLayer') {
    // tfjs keeps a Sequential model's input shape on its first layer; Keras 3 writes an InputLayer.
    let inputName = 'input_layer';
    for (let n = 1; names.has(inputName); n++) inputName = `input_layer_${n}`;
    layers.push({
      module: 'keras.layers',
      class_name: 'InputLayer',
      config: {
        batch_shape: withBatch(first.inputShapes[0] ?? []),
        dtype: 'float32',
        sparse: false,
        name: inputName,
      },
      registered_name: null,
    });
  }
  for (const [index, layer] of sizedLayers.entries()) {
    const raw = rawLayers[index] ?? {};
    const c = isObject(raw.config) ? raw.config : {};
    const kind = layer.className;
    if (!(KERAS_LAYERS as readonly string[]).includes(kind))
      unsupported(file, `layer '${layer.name}' is a ${kind}`);
    const entry: Json =
      kind === 'InputLayer'
        ? {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: {
              batch_shape: withBatch(layer.outputShape),
              dtype: 'float32',
              sparse: false,
              name: layer.name,
            },
            registered_name: null,
          }
        : {
            module: 'keras.layers',
            class_name: kind,
            config: layerConfig(kind, c, layer.name, file),
            registered_name: null,
            build_config: { input_shape: withBatch(layer.inputShapes[0] ?? []) },
          };
    if (functional) {
      entry.name = layer.name;
      const nodes = Array.isArray(raw.inbound_nodes) ? raw.inbound_nodes : [];
      const sources = nodes
        .flatMap((node) => (Array.isArray(node) ? node : []))
        .map((ref) => (Array.isArray(ref) ? String(ref[0]) : ''));
      if (sources.length > 1) unsupported(file, `layer '${layer.name}' reads ${sources.length} tensors`);
      entry.inbound_nodes = sources.map((source) => ({
        args: [
          {
            class_name: '__keras_tensor__',
            config: {
              shape: withBatch(layer.inputShapes[0] ?? []),
              dtype: 'float32',
              keras_history: [source, 0, 0],
            },
          },
        ],
        kwargs: {},
      }));
    }
    layers.push(entry);
    if (savedByKeras(kind, functional)) classNames.push(kind);
  }
  const savedSized = sizedLayers.filter((layer) => savedByKeras(layer.className, functional));
  const groups = layerGroups(classNames);
  const saved = savedSized.map((layer, i) => ({
    group: groups[i] as string,
    layer: layer.name,
    weights: layer.weights.map((w) => ({
      tfjsName: `${layer.name}/${w.name}`,
      shape: w.shape,
      trainable: w.trainable !== false,
    })),
  }));
  const compileConfig = tutorialCompileConfig(compile.learningRate);
  const inputShape = withBatch(
    sizedLayers.find((layer) => layer.className === 'InputLayer')?.outputShape ?? first?.inputShapes[0] ?? [],
  );
  if (!functional) {
    return {
      config: {
        module: 'keras',
        class_name: 'Sequential',
        config: { name: modelName, trainable: true, dtype: 'float32', layers },
        registered_name: null,
        build_config: { input_shape: inputShape },
        compile_config: compileConfig,
      },
      saved,
    };
  }
  const single = (refs: unknown): unknown => {
    const list = Array.isArray(refs)
      ? refs.map((ref) => (Array.isArray(ref) ? [String(ref[0]), 0, 0] : ref))
      : [];
    return list.length === 1 ? list[0] : list;
  };
  return {
    config: {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: modelName,
        trainable: true,
        layers,
        input_layers: single(inner.input_layers),
        output_layers: single(inner.output_layers),
      },
      registered_name: 'Functional',
      build_config: { input_shape: null },
      compile_config: compileConfig,
    },
    saved,
  };
}
