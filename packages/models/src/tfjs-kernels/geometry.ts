// Shared steps of the gradient kernels: re-expressing a convolution's gradients as forward convolutions needs
// explicit paddings (never negative: surplus rows are sliced off instead) and, for the input gradient, the output
// gradient with stride − 1 zeros between its rows and columns.
import {
  type backend_util,
  type KernelBackend,
  PadV2,
  Reshape,
  Slice,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { runWasmKernel, type Temporaries } from './run-kernel.js';

/** NHWC explicit padding as tfjs's Conv2D and DepthwiseConv2dNative take it. */
export type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

function explicitPad(top: number, bottom: number, left: number, right: number): ExplicitPad {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/** Keeps the first `height` rows and `width` columns of an NHWC tensor when that is fewer than it has. */
function cropTo(
  x: TensorInfo,
  height: number,
  width: number,
  temps: Temporaries,
  backend: KernelBackend,
): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  if (height >= h && width >= w) return x;
  const size = [n, Math.min(height, h), Math.min(width, w), c];
  return temps.keep(runWasmKernel(Slice, { x }, { begin: [0, 0, 0, 0], size }, backend));
}

/**
 * For a filter gradient: the forward input cropped to the rows and columns the forward pass read, and the
 * padding that makes a stride-1 convolution with dilation = stride, whose "filter" is the output gradient,
 * produce exactly kernel-size outputs: dW[i] = Σ_y X[y·s + i − padTop] · dY[y].
 */
export function filterGradientInput(
  x: TensorInfo,
  info: backend_util.Conv2DInfo,
  temps: Temporaries,
  backend: KernelBackend,
): { input: TensorInfo; pad: ExplicitPad } {
  const { strideHeight, strideWidth, filterHeight, filterWidth, outHeight, outWidth, inHeight, inWidth } =
    info;
  const { top, left } = info.padInfo;
  // The forward pass read (out − 1)·stride + kernel rows, starting `top` rows above row 0.
  const bottom = (outHeight - 1) * strideHeight + filterHeight - top - inHeight;
  const right = (outWidth - 1) * strideWidth + filterWidth - left - inWidth;
  const input = cropTo(x, inHeight + Math.min(bottom, 0), inWidth + Math.min(right, 0), temps, backend);
  return { input, pad: explicitPad(top, Math.max(bottom, 0), left, Math.max(right, 0)) };
}

/**
 * For an input gradient: the output gradient D with stride − 1 zeros inserted between rows and columns, and the
 * padding that makes a stride-1 convolution of D with the spatially flipped filter produce exactly the input's
 * size: dX[u] = Σ_i D[u + padTop − i] · W[i]. `undefined` when the forward padding exceeded the kernel (not a
 * case `same`/`valid` produce), for the caller's fallback.
 */
export function inputGradientOperand(
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  temps: Temporaries,
  backend: KernelBackend,
): { operand: TensorInfo; pad: ExplicitPad } | undefined {
  const { strideHeight, strideWidth, filterHeight, filterWidth, outHeight, outWidth, inHeight, inWidth } =
    info;
  const top = filterHeight - 1 - info.padInfo.top;
  const left = filterWidth - 1 - info.padInfo.left;
  if (top < 0 || left < 0) return undefined;
  const [batch, , , channels] = dy.shape as [number, number, number, number];
  let operand = dy;
  if (strideHeight > 1 || strideWidth > 1) {
    // [N, Ho, 1, Wo, 1, C] padded to [N, Ho, s, Wo, s, C], viewed as [N, Ho·s, Wo·s, C].
    const expanded = temps.keep(
      runWasmKernel(Reshape, { x: dy }, { shape: [batch, outHeight, 1, outWidth, 1, channels] }, backend),
    );
    const paddings = [
      [0, 0],
      [0, 0],
      [0, strideHeight - 1],
      [0, 0],
      [0, strideWidth - 1],
      [0, 0],
    ];
    const spaced = temps.keep(runWasmKernel(PadV2, { x: expanded }, { paddings, constantValue: 0 }, backend));
    const shape = [batch, outHeight * strideHeight, outWidth * strideWidth, channels];
    operand = temps.keep(runWasmKernel(Reshape, { x: spaced }, { shape }, backend));
  }
  const [, height, width] = operand.shape as [number, number, number, number];
  // Negative means surplus trailing rows of D (zeros, or rows the forward kernel never reached): cut them off.
  const bottom = inHeight - height - top + filterHeight - 1;
  const right = inWidth - width - left + filterWidth - 1;
  operand = cropTo(operand, height + Math.min(bottom, 0), width + Math.min(right, 0), temps, backend);
  return { operand, pad: explicitPad(top, Math.max(bottom, 0), left, Math.max(right, 0)) };
}
