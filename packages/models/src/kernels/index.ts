import {
  Conv2DBackpropInput,
  getKernel,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputWasmConfig } from './conv2d-backprop-input.js';
import { WASM } from './run-kernel.js';

export { conv2DBackpropFilterWasm, conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter.js';
export { conv2DBackpropInputViaConv } from './conv2d-backprop-input.js';

/** Configs this module registered, so a second call recognises its own work. */
const ours = new WeakSet<KernelConfig>();

/**
 * Registers the wasm kernels a CNN training step needs, through tfjs-core's public kernel registry:
 * - `Conv2DBackpropFilter`, which tfjs-backend-wasm 4.22 lacks (without it a CNN cannot train on wasm at all);
 *   never replaces one that is already registered (a future tfjs-backend-wasm shipping its own wins);
 * - a faster `Conv2DBackpropInput` (one XNNPACK convolution instead of wasm's scalar loop), falling back to wasm's
 *   own kernel for the cases it does not cover. Only done when wasm's kernel is registered already, i.e. after
 *   `@tensorflow/tfjs-backend-wasm` has been imported; otherwise a later call does it.
 *
 * Everything else the `cnn` model's step uses (Conv2D, MaxPool/MaxPoolGrad, Relu, Step, Softmax, …) wasm has.
 * Idempotent; safe to call before the wasm backend is initialised.
 *
 * @returns the names of the kernels this call registered (empty when there was nothing left to do).
 */
export function registerWasmTrainingKernels(): string[] {
  const registered: string[] = [];
  const filter = getKernel(conv2DBackpropFilterWasmConfig.kernelName, WASM);
  if (filter === undefined) {
    registerKernel(conv2DBackpropFilterWasmConfig);
    registered.push(conv2DBackpropFilterWasmConfig.kernelName);
  }
  const input = getKernel(Conv2DBackpropInput, WASM);
  if (input !== undefined && !ours.has(input)) {
    const config = conv2DBackpropInputWasmConfig(input);
    unregisterKernel(Conv2DBackpropInput, WASM);
    registerKernel(config);
    ours.add(config);
    registered.push(Conv2DBackpropInput);
  }
  return registered;
}
