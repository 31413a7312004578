// The fast path's operations. Each runs as one custom kernel where the active backend has it (wasm, see
// fast-wasm.ts) and otherwise as the same math composed from ordinary tfjs ops, so the fast path works,
// and computes the same thing, on every backend.

import {
  engine,
  fused,
  getBackend,
  getKernel,
  cast,
  clipByValue,
  div,
  greater,
  greaterEqual,
  lessEqual,
  logicalAnd,
  matMul,
  mul,
  oneHot,
  type NamedAttrMap,
  type NamedTensorMap,
  sigmoid,
  softmax,
  stack,
  sub,
  sum,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  where,
  zerosLike,
  argMax,
  equal,
  log,
} from '@tensorflow/tfjs-core';
import { FAST_KERNELS, type InputGradientMode, type OutputGradientAttrs } from './fast-wasm.js';

/** Whether the active backend has a custom kernel of that name. */
export function hasFastKernel(name: string): boolean {
  return getKernel(name, getBackend()) !== undefined;
}

function run(name: string, inputs: NamedTensorMap, attrs: object): Tensor[] {
  return engine().runKernel(name, inputs, attrs as unknown as NamedAttrMap) as unknown as Tensor[];
}

/** Gradient of the batch-mean loss w.r.t. the output layer's logits, plus [loss sum, correct count]. */
export interface OutputGradient {
  /** [batch, classes]. */
  dLogits: Tensor2D;
  /** [2]: the batch's summed per-sample loss and its number of correct top-1 predictions. */
  stats: Tensor1D;
}

/**
 * The output activation, Keras's sparse categorical cross-entropy on its probabilities
 * (`log Σ clip(p) − log clip(p_y)`, mean over the batch), and the gradient of that mean w.r.t. the logits,
 * derived by hand so no autodiff tape is needed.
 *
 * @param logits - [batch, classes] pre-activation outputs of the last layer
 * @param labels - [batch] int32 labels
 */
export function outputGradient(
  logits: Tensor2D,
  labels: Tensor1D,
  activation: OutputGradientAttrs['activation'],
  epsilon: number,
): OutputGradient {
  if (hasFastKernel(FAST_KERNELS.outputGradient)) {
    const [dLogits, stats] = run(FAST_KERNELS.outputGradient, { logits, labels }, { activation, epsilon });
    return { dLogits: dLogits as Tensor2D, stats: stats as Tensor1D };
  }
  const [rows, classes] = logits.shape;
  const p = activation === 'sigmoid' ? sigmoid(logits) : softmax(logits);
  const clipped = clipByValue(p, epsilon, 1 - epsilon);
  const total = sum(clipped, 1, true);
  // int32 then cast: wasm 4.22's OneHot writes int32 bits even when asked for float32.
  const mask = cast(oneHot(labels, classes), 'float32');
  const target = sum(mul(clipped, mask), 1, true);
  const lossSum = sum(sub(log(total), log(target)));
  const correct = sum(cast(equal(argMax(p, 1), labels), 'float32'));
  const inside = logicalAnd(greaterEqual(p, epsilon), lessEqual(p, 1 - epsilon));
  const dClipped = div(sub(div(1, total), div(mask, target)), rows);
  const dp = where(inside, dClipped, zerosLike(dClipped));
  const dLogits =
    activation === 'sigmoid' ? mul(dp, mul(p, sub(1, p))) : mul(p, sub(dp, sum(mul(dp, p), 1, true)));
  return { dLogits: dLogits as Tensor2D, stats: stack([lossSum, correct]) as Tensor1D };
}

/** One dense layer's forward pass, `x·W + b`, with relu fused when asked. */
export function denseForward(
  x: Tensor2D,
  kernel: Tensor2D,
  bias: Tensor1D | undefined,
  activation: 'linear' | 'relu',
): Tensor2D {
  if (hasFastKernel(FAST_KERNELS.denseForward)) {
    const inputs: NamedTensorMap = bias === undefined ? { x, kernel } : { x, kernel, bias };
    return engine().runKernel(FAST_KERNELS.denseForward, inputs, { activation }) as Tensor2D;
  }
  return fused.matMul({ a: x, b: kernel, ...(bias ? { bias } : {}), activation }) as Tensor2D;
}

/** Gradients of one dense layer. */
export interface DenseGradients {
  dKernel: Tensor2D;
  dBias: Tensor1D;
  /** Gradient w.r.t. the layer's input (already through the previous layer's activation), if asked. */
  dInput?: Tensor2D;
}

/**
 * One dense layer's backward pass: `dW = inputᵀ·dz`, `db = Σ_rows dz`, and, unless `mode` is `none`,
 * `d(input) = dz·Wᵀ`, multiplied by relu'(input) when the previous layer is a relu.
 *
 * @param input - [batch, in] the layer's input (the previous layer's activation output)
 * @param dz - [batch, out] gradient w.r.t. this layer's pre-activation output
 * @param kernel - [in, out] the layer's weights
 */
export function denseBackward(
  input: Tensor2D,
  dz: Tensor2D,
  kernel: Tensor2D,
  mode: InputGradientMode,
): DenseGradients {
  if (hasFastKernel(FAST_KERNELS.denseBackward)) {
    const [dKernel, dBias, dInput] = run(
      FAST_KERNELS.denseBackward,
      { input, dz, kernel },
      { inputGradient: mode },
    );
    return {
      dKernel: dKernel as Tensor2D,
      dBias: dBias as Tensor1D,
      ...(dInput ? { dInput: dInput as Tensor2D } : {}),
    };
  }
  const dKernel = matMul(input, dz, true, false) as Tensor2D;
  const dBias = sum(dz, 0) as Tensor1D;
  if (mode === 'none') return { dKernel, dBias };
  const dh = matMul(dz, kernel, false, true) as Tensor2D;
  const dInput = mode === 'relu' ? (where(greater(input, 0), dh, zerosLike(dh)) as Tensor2D) : dh;
  return { dKernel, dBias, dInput };
}

/** Hyper-parameters of Adam, named as tfjs's `tf.train.adam` takes them. */
export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}
