import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { WASM } from './run-kernel.js';

/** Configs {@link registerTransposedMatMul} registered, so a second call recognises its own work. */
const ourMatMuls = new WeakSet<KernelConfig>();

interface DisposingBackend {
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * Wraps wasm's `BatchMatMul` so that transposed products (`aᵀ·b`, `a·bᵀ`: every matMul gradient) also go
 * through XNNPACK, after an explicit transpose, instead of wasm 4.22's scalar fallback loop (2.4 ms against
 * 0.2 ms for a 784×32·32×100 weight gradient, bench/tutorial/NOTES.md). Batched products keep wasm's own path.
 * This speeds up tfjs autodiff of any model with dense layers on wasm (architectures the engine does not take).
 * Idempotent; does nothing until `@tensorflow/tfjs-backend-wasm` has registered its kernel.
 *
 * @returns whether this call registered the wrapper
 */
export function registerTransposedMatMul(): boolean {
  const original = getKernel('BatchMatMul', WASM);
  if (original === undefined || ourMatMuls.has(original)) return false;
  let transpose: KernelFunc | undefined;
  const swapLast = (info: TensorInfo) => {
    const perm = info.shape.map((_, i) => i);
    const last = perm.length - 1;
    [perm[last - 1], perm[last]] = [last, last - 1];
    return perm;
  };
  const batchOf = (info: TensorInfo) => info.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if ((!transposeA && !transposeB) || batchOf(a) !== 1 || batchOf(b) !== 1)
      return original.kernelFunc(args);
    transpose ??= getKernel('Transpose', WASM)?.kernelFunc;
    if (transpose === undefined) return original.kernelFunc(args);
    const backend = args.backend as unknown as DisposingBackend;
    const flip = (info: TensorInfo) =>
      (transpose as KernelFunc)({
        inputs: { x: info },
        backend: args.backend,
        attrs: { perm: swapLast(info) },
      }) as TensorInfo;
    const a2 = transposeA ? flip(a) : a;
    const b2 = transposeB ? flip(b) : b;
    const out = original.kernelFunc({
      inputs: { a: a2, b: b2 },
      backend: args.backend,
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
    if (a2 !== a) backend.disposeData(a2.dataId);
    if (b2 !== b) backend.disposeData(b2.dataId);
    return out;
  };
  const config: KernelConfig = { ...original, kernelFunc };
  unregisterKernel('BatchMatMul', WASM);
  registerKernel(config);
  ourMatMuls.add(config);
  return true;
}
