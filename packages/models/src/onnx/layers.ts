import { type Tensor, transpose } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { MnistModelError } from '../errors.js';
import type { GraphBuilder } from './graph.js';
import { onnxPads, tensorflowPadding } from './padding.js';

/**
 * A tensor of the graph being built. tfjs computes in NHWC; ONNX's Conv and pooling take NCHW. A 4-D tensor is
 * kept in whichever layout the last operation left it and transposed only when the next one needs the other, so
 * a run of convolutions and poolings costs one transpose in and one out.
 */
export interface Flow {
  readonly name: string;
  /** Its shape as tfjs sees it (NHWC, batch first as null). */
  readonly shape: readonly (number | null)[];
  /** For 4-D tensors: the layout the graph holds it in. */
  readonly layout: 'NHWC' | 'NCHW';
}

/** The activations the exporter writes, by their tfjs name. */
export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'softmax', 'tanh'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** What converting one layer gave: its output, and for a layer with an activation, that and its input. */
export interface Converted {
  readonly output: Flow;
  readonly activation?: { readonly name: Activation; readonly input: Flow };
}

/** Layers that only act while training: at inference they pass their input through, and export as nothing. */
const INFERENCE_IDENTITIES = [
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
] as const;

/** The tfjs layer classes the exporter converts. */
export const SUPPORTED_LAYERS = [
  'Dense',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Reshape',
  'Activation',
  'BatchNormalization',
  ...INFERENCE_IDENTITIES,
] as const;

type Layer = LayersModel['layers'][number];
type Config = Record<string, unknown>;

/** The layers of a model in graph order, after checking that each feeds the next (Sequential or a chain). */
export function chainedLayers(model: LayersModel): Layer[] {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw unsupported(
      `the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; only a chain of layers ` +
        'from one input to one output converts',
    );
  }
  const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  for (const [index, layer] of layers.entries()) {
    const inbound = layer.inboundNodes.length === 1 ? (layer.inboundNodes[0]?.inboundLayers ?? []) : [];
    const previous = layers[index - 1];
    if (inbound.length !== 1 || (previous !== undefined && inbound[0] !== previous)) {
      throw unsupported(
        `layer '${layer.name}' (${layer.getClassName()}) does not simply take the previous layer's output; only ` +
          'a chain of layers (a Sequential model, or a functional one built like it) converts',
      );
    }
  }
  return layers;
}

/** Adds the ONNX nodes computing `layer` on `input`; refuses what it cannot convert exactly, naming the layer. */
export async function convertLayer(graph: GraphBuilder, layer: Layer, input: Flow): Promise<Converted> {
  const config = layer.getConfig() as Config;
  const className = layer.getClassName();
  const outputShape = layer.outputShape as (number | null)[];
  switch (className) {
    case 'Dense': {
      const x = inLayout(graph, input, 'NHWC');
      const kernel = await weightValues(layer, 'kernel');
      const [inputs, units] = kernel.shape as [number, number];
      const product = graph.node(
        'MatMul',
        [x.name, graph.floats(`${layer.name}/kernel`, [inputs, units], kernel.values)],
        layer.name,
      );
      const linear = await withBias(graph, layer, config, product);
      return activate(graph, layer, config, { name: linear, shape: outputShape, layout: 'NHWC' });
    }
    case 'Conv2D': {
      channelsLast(layer, config);
      const x = inLayout(graph, input, 'NCHW');
      const kernel = await weightValues(layer, 'kernel', [3, 2, 0, 1]); // HWIO → OIHW
      const [kernelHeight, kernelWidth] = pair(layer, config, 'kernelSize');
      const [strideHeight, strideWidth] = pair(layer, config, 'strides');
      const [dilationHeight, dilationWidth] = pair(layer, config, 'dilationRate');
      const pads = windowPads(
        layer,
        config,
        input.shape,
        [(kernelHeight - 1) * dilationHeight + 1, (kernelWidth - 1) * dilationWidth + 1],
        [strideHeight, strideWidth],
      );
      const convolved = graph.node(
        'Conv',
        [
          x.name,
          graph.floats(`${layer.name}/kernel`, kernel.shape, kernel.values),
          ...(await biasInput(graph, layer, config)),
        ],
        layer.name,
        {
          kernel_shape: [kernelHeight, kernelWidth],
          strides: [strideHeight, strideWidth],
          dilations: [dilationHeight, dilationWidth],
          pads,
        },
      );
      return activate(graph, layer, config, { name: convolved, shape: outputShape, layout: 'NCHW' });
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      channelsLast(layer, config);
      const x = inLayout(graph, input, 'NCHW');
      const size = pair(layer, config, 'poolSize');
      const strides = config.strides == null ? size : pair(layer, config, 'strides');
      const pads = windowPads(layer, config, input.shape, size, strides);
      const attributes = { kernel_shape: size, strides, pads };
      const pooled =
        className === 'MaxPooling2D'
          ? graph.node('MaxPool', [x.name], layer.name, attributes)
          : // TensorFlow averages over the pixels inside the image only, ONNX's count_include_pad = 0.
            graph.node('AveragePool', [x.name], layer.name, { ...attributes, count_include_pad: 0 });
      return { output: { name: pooled, shape: outputShape, layout: 'NCHW' } };
    }
    case 'Flatten': {
      channelsLast(layer, config);
      // Back to NHWC first: tfjs flattens height, width, channels in that order, and the next Dense's weights
      // are laid out for it.
      const x = inLayout(graph, input, 'NHWC');
      return {
        output: {
          name: graph.node('Flatten', [x.name], layer.name, { axis: 1 }),
          shape: outputShape,
          layout: 'NHWC',
        },
      };
    }
    case 'Reshape': {
      const x = inLayout(graph, input, 'NHWC');
      // 0 copies the batch size (opset 13's Reshape); the rest is tfjs's own target shape, -1 included.
      const target = graph.int64s(
        `${layer.name}/shape`,
        [outputShape.length],
        [0, ...(config.targetShape as number[])],
      );
      return {
        output: {
          name: graph.node('Reshape', [x.name, target], layer.name),
          shape: outputShape,
          layout: 'NHWC',
        },
      };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      channelsLast(layer, config);
      const x = inLayout(graph, input, 'NCHW');
      const op = className === 'GlobalMaxPooling2D' ? 'GlobalMaxPool' : 'GlobalAveragePool';
      // ONNX keeps the two spatial axes as 1×1; tfjs drops them.
      const pooled = graph.node(op, [x.name], layer.name);
      return {
        output: {
          name: graph.node('Flatten', [pooled], layer.name, { axis: 1 }),
          shape: outputShape,
          layout: 'NHWC',
        },
      };
    }
    case 'Activation':
      return activate(graph, layer, config, input);
    case 'BatchNormalization':
      return { output: await batchNormalization(graph, layer, config, input) };
    default:
      if ((INFERENCE_IDENTITIES as readonly string[]).includes(className)) return { output: input };
      throw unsupported(
        `layer '${layer.name}' is a ${className}, which has no ONNX conversion here; ` +
          `supported: ${SUPPORTED_LAYERS.join(', ')}`,
      );
  }
}

/** `flow` in `layout` (4-D tensors only; others have one layout), adding a Transpose when it is in the other. */
export function inLayout(graph: GraphBuilder, flow: Flow, layout: Flow['layout']): Flow {
  if (flow.shape.length !== 4 || flow.layout === layout) return flow;
  const perm = layout === 'NCHW' ? [0, 3, 1, 2] : [0, 2, 3, 1];
  return {
    ...flow,
    name: graph.node('Transpose', [flow.name], `${flow.name}/to_${layout}`, { perm }),
    layout,
  };
}

/** Applies a layer's activation (if any) and says which it was and on what, for the output layer's logits. */
function activate(graph: GraphBuilder, layer: Layer, config: Config, input: Flow): Converted {
  const name = String(config.activation ?? 'linear');
  if (!(ACTIVATIONS as readonly string[]).includes(name)) {
    throw unsupported(
      `layer '${layer.name}' uses the activation '${name}', which has no ONNX conversion here; ` +
        `supported: ${ACTIVATIONS.join(', ')}`,
    );
  }
  const activation = name as Activation;
  if (activation === 'linear') return { output: input, activation: { name: activation, input } };
  // tfjs's softmax runs along the last axis as tfjs sees it: the channels of NHWC.
  const x = activation === 'softmax' ? inLayout(graph, input, 'NHWC') : input;
  const output =
    activation === 'sigmoid'
      ? sigmoid(graph, x.name, layer.name)
      : graph.node(
          { relu: 'Relu', softmax: 'Softmax', tanh: 'Tanh' }[activation],
          [x.name],
          layer.name,
          activation === 'softmax' ? { axis: -1 } : {},
        );
  return { output: { ...x, name: output }, activation: { name: activation, input: x } };
}

/**
 * 1 / (1 + e^(−x)), written out: onnxruntime's own Sigmoid is accurate to about 3e-8 absolute but not relative
 * (its small results come out as multiples of 2⁻²⁵), and normalising ten small sigmoids by their sum magnified
 * that to differences of 0.02 in the pretrained `simple`'s probabilities. Exp keeps the relative accuracy.
 */
function sigmoid(graph: GraphBuilder, x: string, name: string): string {
  const negated = graph.node('Neg', [x], name);
  const denominator = graph.node('Add', [graph.node('Exp', [negated], name), graph.scalar('one', 1)], name);
  return graph.node('Reciprocal', [denominator], name);
}

/**
 * Keras's inference-time batch normalisation, (x − mean) / √(variance + ε) · γ + β, over the channels: the last
 * axis in tfjs, ONNX's axis 1 (so 4-D tensors go NCHW). Without `scale` γ is 1, without `center` β is 0.
 */
async function batchNormalization(
  graph: GraphBuilder,
  layer: Layer,
  config: Config,
  input: Flow,
): Promise<Flow> {
  const rank = input.shape.length;
  const axis = Number(config.axis ?? -1);
  if ((rank !== 2 && rank !== 4) || (axis !== -1 && axis !== rank - 1)) {
    throw unsupported(
      `layer '${layer.name}' (BatchNormalization) normalises axis ${axis} of a ${rank}-D input; only the channels ` +
        '(the last axis) of a 2-D or 4-D input convert',
    );
  }
  const x = inLayout(graph, input, 'NCHW');
  const channels = input.shape[rank - 1] as number;
  const mean = await weightValues(layer, 'moving_mean');
  const variance = await weightValues(layer, 'moving_variance');
  const gamma =
    config.scale === false ? new Float32Array(channels).fill(1) : (await weightValues(layer, 'gamma')).values;
  const beta =
    config.center === false ? new Float32Array(channels) : (await weightValues(layer, 'beta')).values;
  const inputs = [
    x.name,
    graph.floats(`${layer.name}/gamma`, [channels], gamma),
    graph.floats(`${layer.name}/beta`, [channels], beta),
    graph.floats(`${layer.name}/moving_mean`, [channels], mean.values),
    graph.floats(`${layer.name}/moving_variance`, [channels], variance.values),
  ];
  const epsilon = Number(config.epsilon ?? 1e-3);
  const output = graph.node('BatchNormalization', inputs, layer.name, { epsilon: { float: epsilon } });
  return { ...x, name: output, shape: layer.outputShape as (number | null)[] };
}

async function withBias(graph: GraphBuilder, layer: Layer, config: Config, x: string): Promise<string> {
  const [bias] = await biasInput(graph, layer, config);
  return bias === undefined ? x : graph.node('Add', [x, bias], layer.name);
}

/** The bias initializer's name in a list, or an empty list for a layer without one. */
async function biasInput(graph: GraphBuilder, layer: Layer, config: Config): Promise<string[]> {
  if (config.useBias === false) return [];
  const bias = await weightValues(layer, 'bias');
  return [graph.floats(`${layer.name}/bias`, bias.shape, bias.values)];
}

/** A weight of `layer` by its Keras name (`kernel`, `bias`, `gamma`…), read out, optionally transposed. */
async function weightValues(
  layer: Layer,
  name: string,
  perm?: number[],
): Promise<{ shape: number[]; values: Float32Array }> {
  const variable = layer.weights.find((weight) => weight.originalName.split('/').at(-1) === name);
  if (variable === undefined) {
    throw unsupported(`layer '${layer.name}' (${layer.getClassName()}) has no '${name}' weight to export`);
  }
  const value: Tensor = perm === undefined ? variable.read() : transpose(variable.read(), perm);
  try {
    return { shape: value.shape, values: (await value.data()) as Float32Array };
  } finally {
    if (perm !== undefined) value.dispose();
  }
}

/** ONNX pads for a window sliding over the height and width of a NHWC `inputShape`, as TensorFlow pads. */
function windowPads(
  layer: Layer,
  config: Config,
  inputShape: readonly (number | null)[],
  window: readonly [number, number],
  strides: readonly [number, number],
): number[] {
  const padding = config.padding;
  if (padding !== 'same' && padding !== 'valid') {
    throw unsupported(
      `layer '${layer.name}' uses padding '${String(padding)}'; only 'same' and 'valid' convert`,
    );
  }
  const [height, width] = [inputShape[1], inputShape[2]] as [number, number];
  return onnxPads(
    tensorflowPadding({ size: height, window: window[0], stride: strides[0], padding }),
    tensorflowPadding({ size: width, window: window[1], stride: strides[1], padding }),
  );
}

function channelsLast(layer: Layer, config: Config): void {
  if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') {
    throw unsupported(
      `layer '${layer.name}' is ${String(config.dataFormat)}; only channelsLast layers convert`,
    );
  }
}

/** A height/width pair from a config entry written as one number or two. */
function pair(layer: Layer, config: Config, key: string): [number, number] {
  const value = config[key] ?? 1;
  const values = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(values) || values.length !== 2 || !values.every((v) => Number.isInteger(v) && v > 0)) {
    throw unsupported(
      `layer '${layer.name}' has ${key} ${JSON.stringify(value)}; expected one or two positive integers`,
    );
  }
  return values as [number, number];
}

export function unsupported(reason: string): MnistModelError {
  return new MnistModelError('UNSUPPORTED', `toOnnx: ${reason}.`);
}
