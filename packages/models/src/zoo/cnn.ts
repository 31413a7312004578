import { layers, type Sequential, sequential } from '@tensorflow/tfjs-layers';
import type { TrainingRecipe } from '../model.js';
import { DRAWING_AUGMENTATION } from '../augment/params.js';
import { seededDenseInitializers } from './seeded.js';

/** One layer of the `cnn` model, as plain data: the model is built from it and its costs are computed from it. */
export type CnnLayerSpec =
  | {
      kind: 'conv2d';
      name: string;
      filters: number;
      kernelSize: number;
      strides: number;
      padding: 'same' | 'valid';
    }
  | { kind: 'flatten'; name: string }
  | { kind: 'dense'; name: string; units: number; activation: 'relu' | 'softmax' };

/**
 * The `cnn` architecture, chosen for drawn digits (bench/drawn/NOTES.md): five ReLU convolutions, a 3×3 one at full
 * resolution first, then two stages that each halve the resolution with a stride-2 convolution instead of pooling
 * (wasm's MaxPoolGrad is a slow scalar loop, and strided convolutions compute 4× fewer outputs) followed by a 3×3
 * one, and a softmax classifier on the flattened 5×5×64 features (a valid 3×3 convolution of the 7×7 maps).
 * Input 28×28×1 (pixels ÷255). No dropout: tfjs's seeded dropout draws the same mask at every step, and an
 * unseeded one would make training irreproducible; the recipe's drawing augmentation regularises instead.
 */
export const CNN_LAYERS: readonly CnnLayerSpec[] = Object.freeze([
  { kind: 'conv2d', name: 'conv1', filters: 32, kernelSize: 3, strides: 1, padding: 'same' },
  { kind: 'conv2d', name: 'conv2', filters: 32, kernelSize: 5, strides: 2, padding: 'same' },
  { kind: 'conv2d', name: 'conv3', filters: 64, kernelSize: 3, strides: 1, padding: 'same' },
  { kind: 'conv2d', name: 'conv4', filters: 64, kernelSize: 3, strides: 2, padding: 'same' },
  { kind: 'conv2d', name: 'conv5', filters: 64, kernelSize: 3, strides: 1, padding: 'valid' },
  { kind: 'flatten', name: 'flatten' },
  { kind: 'dense', name: 'output', units: 10, activation: 'softmax' },
]);

/**
 * The `cnn` model's own training recipe. Like the tutorial's: Adam, sparse categorical cross-entropy, pixels ÷255.
 * Different: batch 64 (fewer, larger steps run faster), a higher starting rate that decays by `learningRateDecay`
 * every epoch (large steps early, fine ones at the end), and every training image redrawn at random the way people
 * draw on a canvas (`DRAWING_AUGMENTATION`: rotation, scale, shear, shift, elastic distortion, thicker or thinner
 * strokes, sometimes a coarse grid), seeded per image so the same seed gives the same weights.
 */
export const cnnRecipe: Readonly<TrainingRecipe> = Object.freeze({
  optimizer: 'adam',
  learningRate: 0.002,
  loss: 'sparse-categorical-crossentropy',
  crossEntropy: 'logits',
  batchSize: 64,
  epochs: 15,
  learningRateDecay: 0.85,
  augmentation: DRAWING_AUGMENTATION,
});

/** Options for {@link createCnn}. */
export interface CreateCnnOptions {
  /** Seed for the initial weights (Glorot-uniform kernels, zero biases); the same seed gives the same weights. */
  seed?: number;
  /** Another layer list of the same kinds, e.g. an architecture candidate (default {@link CNN_LAYERS}). */
  layers?: readonly CnnLayerSpec[];
}

/**
 * Builds the untrained `cnn` model described by {@link CNN_LAYERS}: input [null, 28, 28, 1], output
 * [null, 10] softmax probabilities. Not compiled: `train` brings its own loop.
 */
export function createCnn(options: CreateCnnOptions = {}): Sequential {
  const seed = options.seed ?? 0;
  let weighted = 0;
  return sequential({
    name: 'cnn',
    layers: [
      layers.inputLayer({ name: 'image', inputShape: [28, 28, 1] }),
      ...(options.layers ?? CNN_LAYERS).map((spec) => {
        switch (spec.kind) {
          case 'conv2d':
            return layers.conv2d({
              name: spec.name,
              filters: spec.filters,
              kernelSize: spec.kernelSize,
              strides: spec.strides,
              padding: spec.padding,
              activation: 'relu',
              ...seededDenseInitializers(seed, weighted++),
            });
          case 'flatten':
            return layers.flatten({ name: spec.name });
          case 'dense':
            return layers.dense({
              name: spec.name,
              units: spec.units,
              activation: spec.activation,
              ...seededDenseInitializers(seed, weighted++),
            });
          default:
            throw new Error(`createCnn: unknown layer kind in ${JSON.stringify(spec)}`);
        }
      }),
    ],
  });
}

/** What one layer of the `cnn` holds and costs per image, computed from {@link CNN_LAYERS} alone. */
export interface CnnLayerCost {
  name: string;
  kind: CnnLayerSpec['kind'];
  /** Output shape without the batch axis. */
  outputShape: number[];
  /** Trainable parameters (weights + biases). */
  params: number;
  /** Multiply-accumulates per image (convolutions and dense layers; 0 for the rest). */
  macs: number;
}

/**
 * The `cnn`'s layer table by arithmetic on the layer list: output shapes (TensorFlow's `same`/`valid`
 * rules), parameter counts and multiply-accumulates per image for a 28×28×1 input.
 */
export function cnnLayerCosts(specs: readonly CnnLayerSpec[] = CNN_LAYERS): CnnLayerCost[] {
  let shape = [28, 28, 1];
  return specs.map((spec) => {
    let params = 0;
    let macs = 0;
    switch (spec.kind) {
      case 'conv2d': {
        const [height, width, channels] = shape as [number, number, number];
        const out = (size: number) =>
          spec.padding === 'same'
            ? Math.ceil(size / spec.strides)
            : Math.floor((size - spec.kernelSize) / spec.strides) + 1;
        const perOutput = spec.kernelSize * spec.kernelSize * channels;
        shape = [out(height), out(width), spec.filters];
        params = perOutput * spec.filters + spec.filters;
        macs = perOutput * spec.filters * (shape[0] as number) * (shape[1] as number);
        break;
      }
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case 'dense': {
        const inputs = shape[0] as number;
        shape = [spec.units];
        params = inputs * spec.units + spec.units;
        macs = inputs * spec.units;
        break;
      }
    }
    return { name: spec.name, kind: spec.kind, outputShape: [...shape], params, macs };
  });
}

/** Summary figures of the `cnn`: what the README and the pretrained manifest quote. */
export interface CnnCostSummary {
  /** Trainable parameters. */
  params: number;
  /** Bytes of float32 weights. */
  weightBytes: number;
  /** Multiply-accumulates per image (inference). */
  macsPerImage: number;
  /**
   * Floating-point operations per image (inference): 2 per multiply-accumulate, plus one per bias add and per
   * ReLU of the convolutions, plus 3 per softmax output (exp, sum, divide).
   */
  flopsPerImage: number;
}

/** Parameter count, weight size, MACs and FLOPs per image of the `cnn`, derived from {@link cnnLayerCosts}. */
export function cnnCostSummary(specs: readonly CnnLayerSpec[] = CNN_LAYERS): CnnCostSummary {
  const costs = cnnLayerCosts(specs);
  let params = 0;
  let macs = 0;
  let flops = 0;
  costs.forEach((cost, i) => {
    const spec = specs[i] as CnnLayerSpec;
    params += cost.params;
    macs += cost.macs;
    const outputs = cost.outputShape.reduce((a, b) => a * b, 1);
    if (spec.kind === 'conv2d') flops += 2 * cost.macs + 2 * outputs;
    if (spec.kind === 'dense')
      flops += 2 * cost.macs + outputs + (spec.activation === 'softmax' ? 3 : 1) * outputs;
  });
  return { params, weightBytes: params * 4, macsPerImage: macs, flopsPerImage: flops };
}
