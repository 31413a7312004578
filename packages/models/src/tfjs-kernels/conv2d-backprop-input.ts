import {
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  Reverse,
  type TensorInfo,
  Transpose,
} from '@tensorflow/tfjs-core';
import { inputGradientOperand } from './geometry.js';
import { runWasmKernel, Temporaries, WASM } from './run-kernel.js';

/**
 * The input gradient of a 2-D convolution as one XNNPACK convolution. tfjs-backend-wasm 4.22 has this kernel, but as
 * a plain C++ loop that took half of a small CNN's training step here, about ten times the forward Conv2D of the
 * same size. Math: dX[u] = Σ_i D[u + padTop − i] · W[i], where D is dY with stride − 1 zeros inserted between rows
 * and columns; that is a stride-1 convolution of D with W flipped in both spatial axes and its channel axes swapped,
 * padded by kernel − 1 − padTop at the top. For stride > 1 the zeros cost (stride² − 1)/stride² wasted
 * multiply-adds, still far cheaper than the loop.
 *
 * Returns `undefined` for the cases it does not cover (NCHW, forward padding wider than the kernel); the caller then
 * uses wasm's own kernel.
 */
export function conv2DBackpropInputViaConv({
  inputs,
  attrs,
  backend: anyBackend,
}: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const backend = anyBackend as KernelBackend;
  const { dy, filter } = inputs as Conv2DBackpropInputInputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as Conv2DBackpropInputAttrs;
  if (dy === undefined || filter === undefined || dataFormat === 'NCHW') return undefined;
  const filterShape = filter.shape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode);
  const temps = new Temporaries(backend);
  try {
    const prepared = inputGradientOperand(dy, info, temps, backend);
    if (prepared === undefined) return undefined;
    const flipped = temps.keep(runWasmKernel(Reverse, { x: filter }, { dims: [0, 1] }, backend));
    const swapped = temps.keep(runWasmKernel(Transpose, { x: flipped }, { perm: [0, 1, 3, 2] }, backend));
    const convAttrs: Conv2DAttrs = { strides: 1, pad: prepared.pad, dataFormat: 'NHWC', dilations: 1 };
    return runWasmKernel(Conv2D, { x: prepared.operand, filter: swapped }, convAttrs, backend);
  } finally {
    temps.dispose();
  }
}

/**
 * Kernel config replacing wasm's Conv2DBackpropInput: the XNNPACK path where it applies, else wasm's own kernel
 * (`fallback`, the config that was registered before).
 */
export function conv2DBackpropInputWasmConfig(fallback: KernelConfig): KernelConfig {
  return {
    kernelName: Conv2DBackpropInput,
    backendName: WASM,
    // Keep the original setup so wasm's kernel is ready when the backend initialises after this registration.
    ...(fallback.setupFunc === undefined ? {} : { setupFunc: fallback.setupFunc }),
    kernelFunc: (args) => conv2DBackpropInputViaConv(args) ?? fallback.kernelFunc(args),
  };
}
