import {
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  Transpose,
} from '@tensorflow/tfjs-core';
import { filterGradientInput } from './geometry.js';
import { runWasmKernel, Temporaries, WASM } from './run-kernel.js';

/**
 * The filter gradient of a 2-D convolution,
 * dW[i,j,c,k] = Σ_{n,y,x} X[n, y·s + i − padTop, x·s + j − padLeft, c] · dY[n,y,x,k],
 * rewritten as one ordinary convolution so that wasm's own (XNNPACK) Conv2D kernel does the work:
 * the batch and channel axes of X swap places (X' = [C, H, W, N]), dY becomes the filter (dY' = [H_out, W_out, N, K]),
 * and the forward stride becomes the dilation of that convolution. Its output [C, kh, kw, K] is transposed back to
 * [kh, kw, C, K]. Padding is made explicit; rows and columns the forward pass never reached are sliced off X first,
 * because explicit padding cannot be negative.
 */
export const conv2DBackpropFilterWasm: KernelFunc = ({ inputs, attrs, backend: anyBackend }) => {
  const backend = anyBackend as KernelBackend;
  const { x, dy } = inputs as Conv2DBackpropFilterInputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as Conv2DBackpropFilterAttrs;
  if (x === undefined || dy === undefined)
    throw new Error('@mnist/models: Conv2DBackpropFilter needs inputs x and dy.');
  if (dataFormat === 'NCHW') {
    throw new Error(
      "@mnist/models: the wasm Conv2DBackpropFilter kernel supports dataFormat 'NHWC' only, as wasm's Conv2D.",
    );
  }
  const xShape = x.shape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode);
  const temps = new Temporaries(backend);
  try {
    const { input, pad: explicit } = filterGradientInput(x, info, temps, backend);
    const inputT = temps.keep(runWasmKernel(Transpose, { x: input }, { perm: [3, 1, 2, 0] }, backend));
    const dyT = temps.keep(runWasmKernel(Transpose, { x: dy }, { perm: [1, 2, 0, 3] }, backend));
    const convAttrs: Conv2DAttrs = {
      strides: 1,
      pad: explicit,
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    };
    const gradT = temps.keep(runWasmKernel(Conv2D, { x: inputT, filter: dyT }, convAttrs, backend));
    return runWasmKernel(Transpose, { x: gradT }, { perm: [1, 2, 0, 3] }, backend);
  } finally {
    temps.dispose();
  }
};

/** Kernel config for `registerKernel`: Conv2DBackpropFilter on wasm (which tfjs-backend-wasm 4.22 lacks). */
export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilterWasm,
};
