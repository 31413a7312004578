// Direct access to the engine's WebAssembly kernels for kernel tests: one single-thread instance on its own
// memory, and a bump allocator to place inputs and outputs in it.
import { waitUntil } from '@mnist/test-support';
import { liveEngineWorkers } from '../../src/engine/test-hooks.js';
import type { CnnLayerSpec } from '../../src/zoo/cnn.js';
import {
  engineMemory,
  engineModule,
  type EngineExports,
  instantiateEngine,
} from '../../src/engine/module.js';

export interface KernelBench {
  exports: EngineExports;
  /** Copies floats in and returns their address. */
  floats(values: ArrayLike<number>): number;
  /** Reserves `count` zeroed floats (or bytes with `bytes`). */
  reserve(count: number, bytes?: number): number;
  ints(values: ArrayLike<number>): number;
  bytes(values: ArrayLike<number>): number;
  readFloats(address: number, count: number): Float32Array;
  readDoubles(address: number, count: number): Float64Array;
  memory: WebAssembly.Memory;
}

export async function kernelBench(megabytes = 64): Promise<KernelBench> {
  const module = await engineModule(false);
  if (module === undefined) throw new Error('this WebAssembly has no SIMD');
  const memory = engineMemory(megabytes * 2 ** 20, false);
  const { exports } = instantiateEngine(module, memory);
  let next = 1024;
  const reserve = (count: number, bytes = count * 4) => {
    const at = next;
    next = Math.ceil((next + bytes) / 64) * 64;
    if (next > memory.buffer.byteLength) throw new Error('kernel bench: out of memory');
    new Uint8Array(memory.buffer, at, bytes).fill(0);
    return at;
  };
  return {
    exports,
    memory,
    reserve,
    floats(values) {
      const at = reserve(values.length);
      new Float32Array(memory.buffer, at, values.length).set(values);
      return at;
    },
    ints(values) {
      const at = reserve(values.length);
      new Int32Array(memory.buffer, at, values.length).set(values);
      return at;
    },
    bytes(values) {
      const at = reserve(0, values.length);
      new Uint8Array(memory.buffer, at, values.length).set(values);
      return at;
    },
    readFloats: (address, count) => new Float32Array(memory.buffer, address, count).slice(),
    readDoubles: (address, count) => new Float64Array(memory.buffer, address, count).slice(),
  };
}

/** A tiny seeded generator so every run compares the same numbers (values in [−1, 1)). */
export function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

/** Largest difference relative to the reference's largest magnitude (at least 1). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i] as number));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  }
  return worst / scale;
}

/**
 * Waits until every engine thread has exited (they exit asynchronously once told to, announcing it to no test) and
 * returns how many are alive: 0, for `expect(await workersGone()).toBe(0)`. Fails, saying how many are left, if they
 * have not exited within a minute.
 */
export async function workersGone(): Promise<number> {
  await waitUntil('every engine worker thread to exit', () => liveEngineWorkers() === 0).catch(
    (error: Error) => {
      throw new Error(`${error.message}: ${liveEngineWorkers()} still alive`, { cause: error });
    },
  );
  return liveEngineWorkers();
}

/**
 * A three-convolution stack (5×5/32 stride 2, 3×3/64 stride 2, 3×3/64 valid, softmax head: 72,266 weights) whose
 * engine steps match tfjs autodiff to 5e-5; the shipped cnn's deeper ReLU stack amplifies summation order more.
 */
export const SMALL_CONV_LAYERS: readonly CnnLayerSpec[] = Object.freeze([
  { kind: 'conv2d', name: 'conv1', filters: 32, kernelSize: 5, strides: 2, padding: 'same' },
  { kind: 'conv2d', name: 'conv2', filters: 64, kernelSize: 3, strides: 2, padding: 'same' },
  { kind: 'conv2d', name: 'conv3', filters: 64, kernelSize: 3, strides: 1, padding: 'valid' },
  { kind: 'flatten', name: 'flatten' },
  { kind: 'dense', name: 'output', units: 10, activation: 'softmax' },
]);
