import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CLASSES } from '../input.js';

/** A trainable variable as tfjs-layers exposes it (`LayerVariable`): read the value, write a new one. */
export interface WritableVariable {
  read(): Tensor;
  write(value: Tensor): unknown;
}

/** One layer the engine computes: a dense layer or a convolution, with its shapes (NHWC, batch left out). */
export interface EngineLayer {
  kind: 'dense' | 'conv';
  /** relu or linear for hidden layers; the output layer's sigmoid/softmax is applied by the loss. */
  activation: 'linear' | 'relu' | 'output';
  input: [height: number, width: number, channels: number];
  output: [height: number, width: number, channels: number];
  /** Convolutions only: kernel size, stride, and the zero rows/columns before the input (TF 'same'). */
  kernel?: [height: number, width: number];
  stride?: number;
  padTop?: number;
  padLeft?: number;
  weights: WritableVariable;
  bias: WritableVariable | undefined;
}

/** A network the engine trains exactly: its layers and the output activation. */
export interface EngineNetwork {
  layers: EngineLayer[];
  outputActivation: 'sigmoid' | 'softmax';
  /** Trainable parameters, in the order of `layers` (kernel, then bias). */
  parameterCount: number;
}

const NO_EXTRAS = [
  'kernelRegularizer',
  'biasRegularizer',
  'activityRegularizer',
  'kernelConstraint',
  'biasConstraint',
];

/**
 * The network of `model` if the engine trains it exactly, else `undefined` (then training takes the generic
 * tfjs autodiff step): a chain of Dense and Conv2D layers (any kernel, one stride for both axes, 'same' or
 * 'valid' padding, channels-last, no dilation) with relu or linear activations, Flatten between them, and a Dense
 * output of 10 sigmoid or softmax units; no regularisers or constraints; every weight trainable. Input [n, 784]
 * or [n, 28, 28, 1]. The tutorial's `simple` and `mlp` and the `cnn` qualify.
 */
export function engineNetwork(model: LayersModel): EngineNetwork | undefined {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return undefined;
  const inputShape = model.inputs[0]?.shape ?? [];
  let shape: [number, number, number];
  let flat: boolean;
  if (inputShape.length === 2 && inputShape[1] === 784) {
    shape = [1, 1, 784];
    flat = true;
  } else if (inputShape.length === 4 && inputShape[1] === 28 && inputShape[2] === 28 && inputShape[3] === 1) {
    shape = [28, 28, 1];
    flat = false;
  } else return undefined;
  const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  // Layers must be chained in order (a Sequential model, or a functional one built the same way).
  for (const [index, layer] of layers.entries()) {
    if (layer.inboundNodes.length !== 1) return undefined;
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    const previous = layers[index - 1];
    if (inbound.length !== 1) return undefined;
    if (previous !== undefined && inbound[0] !== previous) return undefined;
  }
  const result: EngineLayer[] = [];
  let outputActivation: EngineNetwork['outputActivation'] | undefined;
  let parameterCount = 0;
  for (const [index, layer] of layers.entries()) {
    const className = layer.getClassName();
    const config = layer.getConfig() as Record<string, unknown>;
    if (className === 'Flatten') {
      if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') return undefined;
      shape = [1, 1, shape[0] * shape[1] * shape[2]];
      flat = true;
      continue;
    }
    if (className !== 'Dense' && className !== 'Conv2D') return undefined;
    if (!layer.trainable || layer.nonTrainableWeights.length !== 0) return undefined;
    if (NO_EXTRAS.some((key) => config[key] != null)) return undefined;
    const useBias = config.useBias !== false;
    const weights = layer.trainableWeights as unknown as WritableVariable[];
    if (weights.length !== (useBias ? 2 : 1)) return undefined;
    const last = index === layers.length - 1;
    const activation = String(config.activation ?? 'linear');
    if (last) {
      if (className !== 'Dense' || config.units !== CLASSES) return undefined;
      if (activation !== 'sigmoid' && activation !== 'softmax') return undefined;
      outputActivation = activation;
    } else if (activation !== 'linear' && activation !== 'relu') return undefined;
    const common = {
      activation: last ? ('output' as const) : (activation as 'linear' | 'relu'),
      weights: weights[0] as WritableVariable,
      bias: useBias ? weights[1] : undefined,
    };
    if (className === 'Dense') {
      if (!flat) return undefined;
      const units = Number(config.units);
      result.push({ kind: 'dense', input: shape, output: [1, 1, units], ...common });
      parameterCount += shape[2] * units + (useBias ? units : 0);
      shape = [1, 1, units];
      continue;
    }
    const conv = convGeometry(config, shape);
    if (conv === undefined || flat) return undefined;
    result.push({ kind: 'conv', input: shape, ...conv, ...common });
    const [kh, kw] = conv.kernel;
    const filters = conv.output[2];
    parameterCount += kh * kw * shape[2] * filters + (useBias ? filters : 0);
    shape = conv.output;
  }
  if (outputActivation === undefined) return undefined;
  return { layers: result, outputActivation, parameterCount };
}

function pair(value: unknown): [number, number] | undefined {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v) && v > 0)) {
    return [value[0] as number, value[1] as number];
  }
  return undefined;
}

/** Output shape and padding of a Conv2D config on an input shape, as TensorFlow computes them. */
function convGeometry(
  config: Record<string, unknown>,
  [height, width, channels]: [number, number, number],
):
  | (Pick<EngineLayer, 'output' | 'stride' | 'padTop' | 'padLeft'> & { kernel: [number, number] })
  | undefined {
  const kernel = pair(config.kernelSize);
  const strides = pair(config.strides ?? 1);
  const dilation = pair(config.dilationRate ?? 1);
  const filters = Number(config.filters);
  if (kernel === undefined || strides === undefined || dilation === undefined) return undefined;
  if (strides[0] !== strides[1] || dilation[0] !== 1 || dilation[1] !== 1) return undefined;
  if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast' || !(filters > 0)) return undefined;
  const stride = strides[0];
  const [kh, kw] = kernel;
  let outH: number;
  let outW: number;
  let padTop = 0;
  let padLeft = 0;
  if (config.padding === 'same') {
    outH = Math.ceil(height / stride);
    outW = Math.ceil(width / stride);
    padTop = Math.floor(Math.max((outH - 1) * stride + kh - height, 0) / 2);
    padLeft = Math.floor(Math.max((outW - 1) * stride + kw - width, 0) / 2);
  } else if (config.padding === 'valid') {
    outH = Math.floor((height - kh) / stride) + 1;
    outW = Math.floor((width - kw) / stride) + 1;
  } else return undefined;
  if (outH < 1 || outW < 1 || channels < 1) return undefined;
  return { output: [outH, outW, filters], kernel, stride, padTop, padLeft };
}
