// The fast path's kernels for the wasm backend, registered through tfjs's public kernel registry.
//
// Why these exist (measured, see bench/tutorial/NOTES.md): autodiff of a dense network on wasm spends most of a
// batch in two places. (1) Gradients of a matMul ask for `aᵀ·b` and `a·bᵀ`; wasm 4.22 only sends
// untransposed products to XNNPACK and runs every transposed one through a scalar triple loop (2.4 ms for
// the mlp's 784×32·32×100 weight gradient, against 0.2 ms through XNNPACK). (2) ~200 small kernel calls
// per batch (Adam alone is ~14 per variable), each costing ~5–10 µs of dispatch in JS.
// These kernels do the same math with XNNPACK's products (transposing explicitly first, a cheap copy) and
// plain loops over the wasm heap for the element-wise parts, one kernel call per layer and one for the
// whole optimiser step.

import {
  type DataId,
  type DataType,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { instantiateSimdKernels, type SimdKernels } from './fast-simd.js';

/** Kernel names of the fast path (prefixed so they never clash with tfjs's own). */
export const FAST_KERNELS = {
  /** Output activation + Keras sparse cross-entropy → gradient of the logits and [loss sum, correct count]. */
  outputGradient: 'MnistFastOutputGradient',
  /** One dense layer's forward pass: x·W + b, then relu if asked. */
  denseForward: 'MnistFastDenseForward',
  /** One dense layer's backward pass: weight and bias gradients, and the input gradient if asked. */
  denseBackward: 'MnistFastDenseBackward',
  /** One Adam step over any number of variables. */
  adam: 'MnistFastAdam',
} as const;

/** The parts of tfjs's `BackendWasm` these kernels use (typed here so the core never imports a backend). */
interface WasmBackend {
  dataIdMap: { get(dataId: DataId): { id: number; memoryOffset: number } | undefined };
  // The emscripten module; `asm.memory` is its heap (a `WebAssembly.Memory`) in the non-threaded builds.
  wasm: { asm?: { memory?: unknown } };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/** Attributes of {@link FAST_KERNELS.outputGradient}. */
export interface OutputGradientAttrs {
  /** The output layer's activation, applied to the logits here. */
  activation: 'sigmoid' | 'softmax';
  /** Keras's clipping epsilon. */
  epsilon: number;
}

/** How {@link FAST_KERNELS.denseBackward} returns the gradient of the layer's input. */
export type InputGradientMode = 'none' | 'linear' | 'relu';

/** Attributes of {@link FAST_KERNELS.adam}. */
export interface AdamAttrs {
  /** Number of variables (inputs `value0..`, `m0..`, `v0..`, `grad0..`). */
  count: number;
  /** Adam's step size. */
  learningRate: number;
  /** Decay of the first moment (0.9). */
  beta1: number;
  /** Decay of the second moment (0.999). */
  beta2: number;
  /** Added to √v̂ (Keras: 1e-7). */
  epsilon: number;
  /** beta1^t and beta2^t for this step (t counted from 1), as float32 like tfjs's Adam accumulates them. */
  accBeta1: number;
  accBeta2: number;
}

const simdByModule = new WeakMap<object, SimdKernels | null>();

/** The SIMD helpers bound to this backend's heap, or `undefined` (then the JavaScript loops run). */
function simdFor(backend: WasmBackend): SimdKernels | undefined {
  let kernels = simdByModule.get(backend.wasm);
  if (kernels === undefined) {
    const memory = backend.wasm.asm?.memory;
    kernels = memory instanceof WebAssembly.Memory ? (instantiateSimdKernels(memory) ?? null) : null;
    simdByModule.set(backend.wasm, kernels);
  }
  return kernels ?? undefined;
}

function offsetOf(backend: WasmBackend, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error('Fast path: a tensor is not on the wasm backend.');
  return data.memoryOffset;
}

function f32(backend: WasmBackend, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

function wasmKernel(name: string): KernelFunc {
  const config = getKernel(name, 'wasm');
  if (config === undefined)
    throw new Error(`The wasm backend has no ${name} kernel; is @tensorflow/tfjs-backend-wasm 4.22 loaded?`);
  return config.kernelFunc;
}

/** Keras's loss on sigmoid/softmax outputs and its gradient w.r.t. the logits, for a batch, in one pass. */
const outputGradient: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as unknown as WasmBackend;
  const logits = inputs.logits as TensorInfo;
  const labelsInfo = inputs.labels as TensorInfo;
  const { activation, epsilon } = attrs as unknown as OutputGradientAttrs;
  const [rows, classes] = logits.shape as [number, number];
  const gradInfo = backend.makeOutput([rows, classes], 'float32');
  const statsInfo = backend.makeOutput([2], 'float32');
  // Views are taken after every allocation: growing the heap detaches older views.
  const z = f32(backend, logits);
  const labels = backend.typedArrayFromHeap(labelsInfo);
  const grad = f32(backend, gradInfo);
  const stats = f32(backend, statsInfo);
  const low = Math.fround(epsilon);
  const high = Math.fround(1 - epsilon);
  const p = new Float64Array(classes);
  const dp = new Float64Array(classes);
  let lossSum = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    if (activation === 'sigmoid') {
      for (let k = 0; k < classes; k++) p[k] = Math.fround(1 / (1 + Math.exp(-(z[base + k] as number))));
    } else {
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < classes; k++) max = Math.max(max, z[base + k] as number);
      let total = 0;
      for (let k = 0; k < classes; k++) {
        p[k] = Math.exp((z[base + k] as number) - max);
        total += p[k] as number;
      }
      for (let k = 0; k < classes; k++) p[k] = Math.fround((p[k] as number) / total);
    }
    // loss = log(Σ clip(p)) − log(clip(p_y)), as Keras computes sparse CE on probabilities.
    const label = labels[r] as number;
    let sum = 0;
    let best = 0;
    for (let k = 0; k < classes; k++) {
      const pk = p[k] as number;
      sum += Math.min(Math.max(pk, low), high);
      if (pk > (p[best] as number)) best = k;
    }
    const target = Math.min(Math.max(p[label] as number, low), high);
    lossSum += Math.log(sum) - Math.log(target);
    if (best === label) correct++;
    // d/dclip(p_k) = 1/Σ − [k = y]/clip(p_y), averaged over the batch; clipping passes the gradient only
    // inside [ε, 1−ε] (bounds included, as tfjs's clipByValue gradient does).
    let dot = 0;
    for (let k = 0; k < classes; k++) {
      const pk = p[k] as number;
      const inside = pk >= low && pk <= high ? 1 : 0;
      const dclip = (1 / sum - (k === label ? 1 / target : 0)) / rows;
      dp[k] = dclip * inside;
      dot += (dp[k] as number) * pk;
    }
    for (let k = 0; k < classes; k++) {
      const pk = p[k] as number;
      grad[base + k] =
        activation === 'sigmoid' ? (dp[k] as number) * pk * (1 - pk) : pk * ((dp[k] as number) - dot);
    }
  }
  stats[0] = lossSum;
  stats[1] = correct;
  return [gradInfo, statsInfo];
};

/**
 * x·W + b (relu). With SIMD and both dimensions multiples of 4, one unpacked SIMD product: XNNPACK would
 * re-pack W (78,400 floats for the mlp's first layer, ~0.2 ms) on every step because W changes every step.
 * Otherwise wasm's own fused XNNPACK kernel.
 */
function makeDenseForward(): KernelFunc {
  let fusedMatMul: KernelFunc | undefined;
  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as unknown as WasmBackend;
    const x = inputs.x as TensorInfo;
    const kernel = inputs.kernel as TensorInfo;
    const bias = inputs.bias as TensorInfo | undefined;
    const relu = (attrs as { activation: 'linear' | 'relu' }).activation === 'relu';
    const [rows, features] = x.shape as [number, number];
    const units = kernel.shape[1] as number;
    const simd = simdFor(backend);
    if (simd !== undefined && rows % 4 === 0 && units % 4 === 0) {
      const out = backend.makeOutput([rows, units], 'float32');
      const pBias = bias === undefined ? 0 : offsetOf(backend, bias);
      simd.gemm(
        offsetOf(backend, x),
        features * 4,
        4,
        offsetOf(backend, kernel),
        offsetOf(backend, out),
        pBias,
        rows,
        units,
        features,
        relu ? 1 : 0,
      );
      return out;
    }
    fusedMatMul ??= wasmKernel('_FusedMatMul');
    // wasm's kernel wants rank-3 operands; these views share the tensors' data.
    const as3d = (info: TensorInfo): TensorInfo => ({ ...info, shape: [1, ...info.shape] });
    const out = fusedMatMul({
      inputs: { a: as3d(x), b: as3d(kernel), ...(bias ? { bias } : {}) },
      backend: anyBackend,
      attrs: {
        transposeA: false,
        transposeB: false,
        activation: relu ? 'relu' : 'linear',
        leakyreluAlpha: 0,
      },
    }) as TensorInfo;
    return { ...out, shape: [rows, units] };
  };
}

/** dW = inputᵀ·dz (XNNPACK), db = Σ_rows dz, d(input) = dz·Wᵀ (SIMD, else XNNPACK) × relu'(input). */
function makeDenseBackward(): KernelFunc {
  let transpose: KernelFunc | undefined;
  let matMul: KernelFunc | undefined;
  return ({ inputs, backend: anyBackend, attrs }) => {
    transpose ??= wasmKernel('Transpose');
    matMul ??= wasmKernel('BatchMatMul');
    const backend = anyBackend as unknown as WasmBackend;
    const input = inputs.input as TensorInfo;
    const dz = inputs.dz as TensorInfo;
    const kernel = inputs.kernel as TensorInfo;
    const mode = (attrs as { inputGradient: InputGradientMode }).inputGradient;
    const [rows, units] = dz.shape as [number, number];
    const noTranspose = { transposeA: false, transposeB: false };

    const features = input.shape[1] as number;
    const simd = simdFor(backend);
    // dW = inputᵀ·dz through XNNPACK after an explicit transpose: with only `rows` (32) terms per output
    // the unpacked SIMD product is no faster here (bench/tutorial/products.ts), and XNNPACK only packs dz.
    const inputT = transpose({
      inputs: { x: input },
      backend: anyBackend,
      attrs: { perm: [1, 0] },
    }) as TensorInfo;
    const dW = matMul({
      inputs: { a: inputT, b: dz },
      backend: anyBackend,
      attrs: noTranspose,
    }) as TensorInfo;
    backend.disposeData(inputT.dataId);

    const db = backend.makeOutput([units], 'float32');
    {
      const dzValues = f32(backend, dz);
      const dbValues = f32(backend, db);
      dbValues.fill(0);
      for (let r = 0; r < rows; r++) {
        const base = r * units;
        for (let u = 0; u < units; u++)
          dbValues[u] = (dbValues[u] as number) + (dzValues[base + u] as number);
      }
    }
    if (mode === 'none') return [dW, db];

    const kernelT = transpose({
      inputs: { x: kernel },
      backend: anyBackend,
      attrs: { perm: [1, 0] },
    }) as TensorInfo;
    let dInput: TensorInfo;
    if (simd !== undefined && rows % 4 === 0 && features % 4 === 0) {
      // d(input) = dz·Wᵀ as an unpacked SIMD product with the transposed copy of W as its right operand.
      dInput = backend.makeOutput([rows, features], 'float32');
      const [pDz, pKernelT, pOut] = [dz, kernelT, dInput].map((info) => offsetOf(backend, info)) as [
        number,
        number,
        number,
      ];
      simd.gemm(pDz, units * 4, 4, pKernelT, pOut, 0, rows, features, units, 0);
    } else {
      dInput = matMul({
        inputs: { a: dz, b: kernelT },
        backend: anyBackend,
        attrs: noTranspose,
      }) as TensorInfo;
    }
    backend.disposeData(kernelT.dataId);
    if (mode === 'relu') {
      // The input is this layer's input, i.e. the previous layer's relu output: relu'(z) = [h > 0].
      const h = f32(backend, input);
      const d = f32(backend, dInput);
      const vectorised = simd === undefined ? 0 : d.length - (d.length % 4);
      if (simd !== undefined && vectorised > 0)
        simd.reluMask(offsetOf(backend, dInput), offsetOf(backend, input), vectorised);
      for (let i = vectorised; i < d.length; i++) if (!((h[i] as number) > 0)) d[i] = 0;
    }
    return [dW, db, dInput];
  };
}

/**
 * Adam exactly as tfjs's `AdamOptimizer` computes it, for every variable in one call. Inputs are named
 * `value<i>`, `m<i>`, `v<i>`, `grad<i>`. The new values are fresh tensors (XNNPACK caches packed weights
 * by tensor id, so weights must change id when they change); the moments are updated in place, since
 * they are the optimiser's private state and nothing else ever reads them.
 */
const adam: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as unknown as WasmBackend;
  const a = attrs as unknown as AdamAttrs;
  const outputs: TensorInfo[] = [];
  for (let i = 0; i < a.count; i++) {
    const value = inputs[`value${i}`] as TensorInfo;
    outputs.push(backend.makeOutput(value.shape, 'float32'));
  }
  const oneMinusB1 = 1 - a.beta1;
  const oneMinusB2 = 1 - a.beta2;
  const correction1 = 1 - a.accBeta1;
  const correction2 = 1 - a.accBeta2;
  const { beta1, beta2, epsilon } = a;
  const step = -a.learningRate;
  const simd = simdFor(backend);
  for (let i = 0; i < a.count; i++) {
    const infos = [`value${i}`, `m${i}`, `v${i}`, `grad${i}`].map((key) => inputs[key] as TensorInfo);
    const outInfo = outputs[i] as TensorInfo;
    const [value, m, v, g] = infos.map((info) => f32(backend, info)) as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const out = f32(backend, outInfo);
    let start = 0;
    if (simd !== undefined) {
      start = out.length - (out.length % 4);
      const [pValue, pM, pV, pG] = infos.map((info) => offsetOf(backend, info)) as [
        number,
        number,
        number,
        number,
      ];
      const pOut = offsetOf(backend, outInfo);
      simd.adam(
        pValue,
        pM,
        pV,
        pG,
        pOut,
        start,
        beta1,
        oneMinusB1,
        beta2,
        oneMinusB2,
        correction1,
        correction2,
        step,
        epsilon,
      );
    }
    for (let j = start; j < out.length; j++) {
      const gj = g[j] as number;
      const mj = beta1 * (m[j] as number) + oneMinusB1 * gj;
      const vj = beta2 * (v[j] as number) + oneMinusB2 * gj * gj;
      m[j] = mj;
      v[j] = vj;
      out[j] = (value[j] as number) + step * (mj / correction1 / (Math.sqrt(vj / correction2) + epsilon));
    }
  }
  return outputs;
};

const WASM_KERNELS: KernelConfig[] = [
  { kernelName: FAST_KERNELS.outputGradient, backendName: 'wasm', kernelFunc: outputGradient },
  { kernelName: FAST_KERNELS.denseForward, backendName: 'wasm', kernelFunc: makeDenseForward() },
  { kernelName: FAST_KERNELS.denseBackward, backendName: 'wasm', kernelFunc: makeDenseBackward() },
  { kernelName: FAST_KERNELS.adam, backendName: 'wasm', kernelFunc: adam },
];

/**
 * Registers the fast path's wasm kernels through tfjs's public kernel registry. Idempotent; harmless when
 * the wasm backend is not loaded (the kernels are only looked up while wasm is the active backend).
 */
export function registerFastWasmKernels(): void {
  for (const config of WASM_KERNELS) {
    if (getKernel(config.kernelName, config.backendName) === undefined) registerKernel(config);
  }
}

/** Configs {@link registerFastWasmMatMul} registered, so a second call recognises its own work. */
const ourMatMuls = new WeakSet<KernelConfig>();

/**
 * Wraps wasm's `BatchMatMul` so that transposed products (`aᵀ·b`, `a·bᵀ`: every matMul gradient) also go
 * through XNNPACK, after an explicit transpose, instead of wasm 4.22's scalar fallback loop. Batched
 * products (leading dimensions > 1) keep wasm's own path. This speeds up autodiff of any model with dense
 * layers (the generic training path, the `cnn`'s dense head); the fast path does not need it.
 * Idempotent; does nothing until `@tensorflow/tfjs-backend-wasm` has registered its kernel.
 */
export function registerFastWasmMatMul(): boolean {
  const original = getKernel('BatchMatMul', 'wasm');
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
    transpose ??= wasmKernel('Transpose');
    const backend = args.backend as unknown as WasmBackend;
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
  unregisterKernel('BatchMatMul', 'wasm');
  registerKernel(config);
  ourMatMuls.add(config);
  return true;
}
