import { type Tensor, type Tensor1D, type Tensor2D, tidy } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { FastAdam, type WritableVariable } from './fast-adam.js';
import { type AdamConfig, denseBackward, denseForward, outputGradient } from './fast-ops.js';
import type { InputGradientMode } from './fast-wasm.js';

/** One layer of a network the fast path can train. */
export interface FastDenseLayer {
  kernel: WritableVariable & { read(): Tensor2D };
  bias: (WritableVariable & { read(): Tensor1D }) | undefined;
  activation: 'linear' | 'relu' | 'sigmoid' | 'softmax';
}

const HIDDEN_ACTIVATIONS = new Set(['linear', 'relu']);
const OUTPUT_ACTIVATIONS = new Set(['sigmoid', 'softmax']);

/**
 * The layers of `model` if it is a plain stack of Dense layers the fast path trains exactly (hidden
 * activations linear or relu, output sigmoid or softmax, no regularisers or constraints, 2-D input, all
 * weights trainable); otherwise `undefined`, and training should take the generic autodiff path.
 * The tutorial's `simple` and `mlp` qualify.
 */
export function fastDenseLayers(model: LayersModel): FastDenseLayer[] | undefined {
  const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  if (layers.length === 0 || model.inputs.length !== 1 || model.outputs.length !== 1) return undefined;
  if (model.inputs[0]?.shape.length !== 2) return undefined;
  const result: FastDenseLayer[] = [];
  for (const [index, layer] of layers.entries()) {
    if (layer.getClassName() !== 'Dense' || !layer.trainable) return undefined;
    const config = layer.getConfig() as Record<string, unknown>;
    const activation = String(config.activation ?? 'linear');
    const last = index === layers.length - 1;
    if (!(last ? OUTPUT_ACTIVATIONS : HIDDEN_ACTIVATIONS).has(activation)) return undefined;
    for (const key of [
      'kernelRegularizer',
      'biasRegularizer',
      'activityRegularizer',
      'kernelConstraint',
      'biasConstraint',
    ]) {
      if (config[key] != null) return undefined;
    }
    const weights = layer.trainableWeights as unknown as (WritableVariable & { read(): Tensor })[];
    const useBias = config.useBias !== false;
    if (weights.length !== (useBias ? 2 : 1) || layer.nonTrainableWeights.length !== 0) return undefined;
    result.push({
      kernel: weights[0] as FastDenseLayer['kernel'],
      bias: useBias ? (weights[1] as FastDenseLayer['bias']) : undefined,
      activation: activation as FastDenseLayer['activation'],
    });
  }
  // Layers must be chained in order (a Sequential model, or a functional one built the same way).
  for (const [index, layer] of layers.entries()) {
    const inbound = layer.inboundNodes[0]?.inboundLayers[0];
    const previous = index === 0 ? undefined : layers[index - 1];
    if (previous !== undefined && inbound !== previous) return undefined;
  }
  return result;
}

/** Options of {@link FastDenseTrainer}: Adam's hyper-parameters and Keras's loss epsilon. */
export interface FastDenseTrainerOptions extends AdamConfig {
  /** Clipping epsilon of the loss (Keras: 1e-7). */
  lossEpsilon: number;
}

/**
 * Trains a plain dense network (see {@link fastDenseLayers}) with Adam and Keras's sparse categorical
 * cross-entropy, one batch per {@link step}, without an autodiff tape: forward with fused matMul+bias+relu,
 * the loss gradient and each layer's backward pass derived by hand, and one fused Adam update. The result
 * is the same as `optimizer.minimize(loss)` on the layers model (see test/fast-path.test.ts), at a fraction
 * of the kernel calls.
 */
export class FastDenseTrainer {
  private readonly layers: FastDenseLayer[];
  private readonly optimizer: FastAdam;
  private readonly options: FastDenseTrainerOptions;

  constructor(layers: FastDenseLayer[], options: FastDenseTrainerOptions) {
    this.layers = layers;
    this.options = options;
    const variables: WritableVariable[] = [];
    for (const layer of layers) {
      variables.push(layer.kernel);
      if (layer.bias !== undefined) variables.push(layer.bias);
    }
    this.optimizer = new FastAdam(variables, options);
  }

  /**
   * One training step on a batch. Returns a new [2] tensor: the batch's summed per-sample loss and its
   * number of correct predictions (read it whenever convenient; reading forces a host sync on GPUs).
   *
   * @param x - [batch, inputs] floats
   * @param labels - [batch] int32 labels
   */
  step(x: Tensor2D, labels: Tensor1D): Tensor1D {
    return tidy(() => {
      const { layers } = this;
      const count = layers.length;
      // Forward, remembering each layer's input. Relu is fused into the product; the output activation
      // is applied inside the loss gradient, which needs the logits.
      const inputs: Tensor2D[] = [];
      let h = x;
      for (const [index, layer] of layers.entries()) {
        inputs.push(h);
        const last = index === count - 1;
        h = denseForward(
          h,
          layer.kernel.read() as Tensor2D,
          layer.bias?.read() as Tensor1D | undefined,
          last || layer.activation === 'linear' ? 'linear' : 'relu',
        );
      }
      const output = layers[count - 1] as FastDenseLayer;
      const { dLogits, stats } = outputGradient(
        h,
        labels,
        output.activation as 'sigmoid' | 'softmax',
        this.options.lossEpsilon,
      );
      // Backward, last layer first; gradients are collected in the optimiser's variable order.
      const gradients: Tensor[] = [];
      let dz: Tensor2D = dLogits;
      for (let index = count - 1; index >= 0; index--) {
        const layer = layers[index] as FastDenseLayer;
        const previous = layers[index - 1];
        const mode: InputGradientMode =
          previous === undefined ? 'none' : previous.activation === 'relu' ? 'relu' : 'linear';
        const grads = denseBackward(inputs[index] as Tensor2D, dz, layer.kernel.read() as Tensor2D, mode);
        if (layer.bias !== undefined) gradients.unshift(grads.dKernel, grads.dBias);
        else gradients.unshift(grads.dKernel);
        if (grads.dInput !== undefined) dz = grads.dInput;
      }
      this.optimizer.apply(gradients);
      return stats;
    });
  }

  /** Changes Adam's learning rate from the next step on (for a per-epoch schedule). */
  setLearningRate(learningRate: number): void {
    this.optimizer.setLearningRate(learningRate);
  }

  /** Frees the optimiser's state (the model's weights stay). */
  dispose(): void {
    this.optimizer.dispose();
  }
}
