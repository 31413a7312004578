import {
  backend_util,
  DepthwiseConv2dNative,
  type DepthwiseConv2dNativeAttrs,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropFilterInputs,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type DepthwiseConv2dNativeBackpropInputInputs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  Reshape,
  Reverse,
  Sum,
  type TensorInfo,
  Transpose,
} from '@tensorflow/tfjs-core';
import { filterGradientInput, inputGradientOperand } from './geometry.js';
import { runWasmKernel, Temporaries, WASM } from './run-kernel.js';

type Shape4 = [number, number, number, number];

/**
 * The filter gradient of a depthwise convolution (channel multiplier M),
 * dW[i,j,c,m] = Σ_{n,y,x} X[n, y·s + i − padTop, x·s + j − padLeft, c] · dY[n,y,x,c·M + m],
 * as one wasm (XNNPACK) depthwise convolution: every (channel, image) pair becomes a channel of a single image
 * X' = [1, H, W, C·N], dY becomes its depthwise filter [H_out, W_out, C·N, M], the forward stride becomes the
 * dilation, and the N images are summed at the end.
 */
export const depthwiseConv2dBackpropFilterWasm: KernelFunc = ({ inputs, attrs, backend: anyBackend }) => {
  const backend = anyBackend as KernelBackend;
  const { x, dy } = inputs as DepthwiseConv2dNativeBackpropFilterInputs;
  const { strides, pad, dimRoundingMode, filterShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  if (x === undefined || dy === undefined) {
    throw new Error('@mnist/models: DepthwiseConv2dNativeBackpropFilter needs inputs x and dy.');
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    true,
  );
  const [kh, kw, channels, multiplier] = filterShape;
  const batch = x.shape[0] as number;
  const temps = new Temporaries(backend);
  try {
    const { input, pad: explicit } = filterGradientInput(x, info, temps, backend);
    const [, height, width] = input.shape as Shape4;
    const inputT = temps.keep(runWasmKernel(Transpose, { x: input }, { perm: [1, 2, 3, 0] }, backend));
    const image = temps.keep(
      runWasmKernel(Reshape, { x: inputT }, { shape: [1, height, width, channels * batch] }, backend),
    );
    const { outHeight, outWidth } = info;
    const dy5 = temps.keep(
      runWasmKernel(
        Reshape,
        { x: dy },
        { shape: [batch, outHeight, outWidth, channels, multiplier] },
        backend,
      ),
    );
    const dyT = temps.keep(runWasmKernel(Transpose, { x: dy5 }, { perm: [1, 2, 3, 0, 4] }, backend));
    const filter = temps.keep(
      runWasmKernel(
        Reshape,
        { x: dyT },
        { shape: [outHeight, outWidth, channels * batch, multiplier] },
        backend,
      ),
    );
    const convAttrs: DepthwiseConv2dNativeAttrs = {
      strides: 1,
      pad: explicit,
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    };
    const perImage = temps.keep(
      runWasmKernel(DepthwiseConv2dNative, { x: image, filter }, convAttrs, backend),
    );
    const split = temps.keep(
      runWasmKernel(Reshape, { x: perImage }, { shape: [kh, kw, channels, batch, multiplier] }, backend),
    );
    return runWasmKernel(Sum, { x: split }, { axis: [3], keepDims: false }, backend);
  } finally {
    temps.dispose();
  }
};

/**
 * The input gradient of a depthwise convolution, dX[n,u,v,c] = Σ_{i,j,m} D[n, u + padTop − i, v + padLeft − j,
 * c·M + m] · W[i,j,c,m] (D: dY with stride − 1 zeros interleaved), as one wasm depthwise convolution of D with the
 * flipped filter (multiplier 1 over the C·M channels) followed by a sum over the M channels of each input channel.
 */
export const depthwiseConv2dBackpropInputWasm: KernelFunc = ({ inputs, attrs, backend: anyBackend }) => {
  const backend = anyBackend as KernelBackend;
  const { dy, filter } = inputs as DepthwiseConv2dNativeBackpropInputInputs;
  const { strides, pad, dimRoundingMode, inputShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  if (dy === undefined || filter === undefined) {
    throw new Error('@mnist/models: DepthwiseConv2dNativeBackpropInput needs inputs dy and filter.');
  }
  const filterShape = filter.shape as Shape4;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    true,
  );
  const [kh, kw, channels, multiplier] = filterShape;
  const [batch, height, width] = inputShape;
  const temps = new Temporaries(backend);
  try {
    const prepared = inputGradientOperand(dy, info, temps, backend);
    if (prepared === undefined) {
      throw new Error(
        '@mnist/models: the wasm DepthwiseConv2dNativeBackpropInput kernel supports forward paddings up to the kernel ' +
          "size ('same', 'valid'); use the cpu backend for wider explicit padding.",
      );
    }
    const flipped = temps.keep(runWasmKernel(Reverse, { x: filter }, { dims: [0, 1] }, backend));
    const flat = temps.keep(
      runWasmKernel(Reshape, { x: flipped }, { shape: [kh, kw, channels * multiplier, 1] }, backend),
    );
    const convAttrs: DepthwiseConv2dNativeAttrs = {
      strides: 1,
      pad: prepared.pad,
      dataFormat: 'NHWC',
      dilations: 1,
    };
    const perChannel: TensorInfo = runWasmKernel(
      DepthwiseConv2dNative,
      { x: prepared.operand, filter: flat },
      convAttrs,
      backend,
    );
    if (multiplier === 1) return perChannel;
    temps.keep(perChannel);
    const split = temps.keep(
      runWasmKernel(
        Reshape,
        { x: perChannel },
        { shape: [batch, height, width, channels, multiplier] },
        backend,
      ),
    );
    return runWasmKernel(Sum, { x: split }, { axis: [4], keepDims: false }, backend);
  } finally {
    temps.dispose();
  }
};

/** Kernel configs for `registerKernel`: the depthwise convolution gradients tfjs-backend-wasm 4.22 lacks. */
export const depthwiseBackpropWasmConfigs: readonly KernelConfig[] = [
  {
    kernelName: DepthwiseConv2dNativeBackpropFilter,
    backendName: WASM,
    kernelFunc: depthwiseConv2dBackpropFilterWasm,
  },
  {
    kernelName: DepthwiseConv2dNativeBackpropInput,
    backendName: WASM,
    kernelFunc: depthwiseConv2dBackpropInputWasm,
  },
];
