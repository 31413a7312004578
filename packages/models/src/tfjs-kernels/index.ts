import {
  Conv2DBackpropInput,
  getKernel,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputWasmConfig } from './conv2d-backprop-input.js';
import { depthwiseBackpropWasmConfigs } from './depthwise-backprop.js';
import { registerTransposedMatMul } from './batch-matmul.js';
import { WASM } from './run-kernel.js';

export { registerTransposedMatMul } from './batch-matmul.js';
export { conv2DBackpropFilterWasm, conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter.js';
export { conv2DBackpropInputViaConv } from './conv2d-backprop-input.js';
export {
  depthwiseBackpropWasmConfigs,
  depthwiseConv2dBackpropFilterWasm,
  depthwiseConv2dBackpropInputWasm,
} from './depthwise-backprop.js';

/**
 * Marks configs registered here, so a second call recognises its own work, even from another copy of this package
 * (the registry is global to tfjs-core, a module-level set would not be).
 */
const OURS = Symbol.for('@mnist/models/wasm-training-kernel');

function isOurs(config: KernelConfig): boolean {
  return (config as KernelConfig & { [OURS]?: true })[OURS] === true;
}

/**
 * Registers the wasm kernels a CNN training step needs, through tfjs-core's public kernel registry:
 * - `Conv2DBackpropFilter`, which tfjs-backend-wasm 4.22 lacks (without it a CNN cannot train on wasm at all),
 *   and the two depthwise-convolution gradients it lacks as well (`DepthwiseConv2dNativeBackpropFilter/Input`,
 *   for depthwise and separable convolutions); none replaces a kernel that is already registered (a future
 *   tfjs-backend-wasm shipping its own wins);
 * - a faster `Conv2DBackpropInput` (one XNNPACK convolution instead of wasm's scalar loop), falling back to wasm's
 *   own kernel for the cases it does not cover. Only done when wasm's kernel is registered already, i.e. after
 *   `@tensorflow/tfjs-backend-wasm` has been imported; otherwise a later call does it;
 * - XNNPACK for transposed matMuls (every dense gradient), see {@link registerTransposedMatMul}.
 *
 * Checked by training steps on wasm: with these, conv2d, depthwise and separable convolutions, max/average
 * pooling, batch normalisation, dropout, global average pooling and dense layers all train.
 * Idempotent; safe to call before the wasm backend is initialised.
 *
 * @returns the names of the kernels this call registered (empty when there was nothing left to do).
 */
export function registerWasmTrainingKernels(): string[] {
  const registered: string[] = [];
  for (const config of [conv2DBackpropFilterWasmConfig, ...depthwiseBackpropWasmConfigs]) {
    if (getKernel(config.kernelName, WASM) !== undefined) continue;
    registerKernel(config);
    registered.push(config.kernelName);
  }
  const input = getKernel(Conv2DBackpropInput, WASM);
  if (input !== undefined && !isOurs(input)) {
    const config = Object.assign(conv2DBackpropInputWasmConfig(input), { [OURS]: true });
    unregisterKernel(Conv2DBackpropInput, WASM);
    registerKernel(config);
    registered.push(Conv2DBackpropInput);
  }
  if (registerTransposedMatMul()) registered.push('BatchMatMul');
  return registered;
}
