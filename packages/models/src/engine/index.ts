// The training engine: one fused training step inside WebAssembly (kernels in engine/assembly/), weights, Adam's state
// and the training set resident there, on one or more threads. This is its one entry; src/train/ asks it for a
// step and falls back to tfjs autodiff when it says no.

import { MnistModelError } from '../errors.js';
import type { LabelledImages } from '../input.js';
import type { CrossEntropyForm } from '../loss.js';
import type { MnistModel } from '../model.js';
import type { TrainingStep } from '../step.js';
import { type EngineNetwork, engineNetwork } from './architecture.js';
import { BATCH_SLICES, layerDims } from './layout.js';
import { sharedMemoryAvailable } from './module.js';
import { createWasmStep } from './wasm-step.js';

export { type EngineNetwork, engineNetwork } from './architecture.js';

/** Which training step to use: the engine where it can (`auto`), the engine or an error (`wasm`), or tfjs. */
export type EngineChoice = 'auto' | 'wasm' | 'tfjs';

/** What the engine needs to build a step. */
export interface EngineStepOptions {
  engine: EngineChoice;
  /** Threads to use; default {@link defaultThreads}. */
  threads?: number;
  batchSize: number;
  maxShift: number;
  epsilon: number;
  crossEntropy: CrossEntropyForm;
}

/**
 * Most threads the engine starts by default: the batch's slices, so that a default run leaves the same weights on
 * any machine of 1 to 4 cores (beyond that a batch of 32 is split too thin anyway).
 */
const MAX_DEFAULT_THREADS = BATCH_SLICES;
/**
 * Most threads the engine starts when asked: each is a worker with its own copy of the network's buffers, and past
 * the cores they only wait for each other at every step's barrier (300 asked for once meant 2.6 GB).
 */
export const MAX_THREADS = 16;
/**
 * Multiply-accumulates per batch below which one thread is faster than waking others: a step's two barriers cost
 * about 10 µs, the work of ≈ 0.1M multiply-accumulates on one core. Measured (bench:tutorial, 2 cores): the
 * tutorial's `simple` (0.5M per batch of 32) trains 1.8× faster on two threads, the mlp (6.1M) 1.5× faster; with the
 * other core busy, two threads are 1.2× slower than one (pass `threads: 1` there).
 */
const MIN_MACS_FOR_THREADS = 250e3;

/** Multiply-accumulates of one training step (forward, both gradients) for a batch. */
export function trainingMacs(network: EngineNetwork, batchSize: number): number {
  let macs = 0;
  for (const [index, layer] of network.layers.entries()) {
    const { rows, depth } = layerDims(layer);
    const forward = rows * depth * layer.output[2];
    macs += forward * (index === 0 ? 2 : 3);
  }
  return macs * batchSize;
}

/** Built at run time so that browser bundlers never try to resolve a Node built-in. */
const NODE_OS = ['node', 'os'].join(':');

async function availableCores(): Promise<number> {
  const fromNavigator = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  if (typeof fromNavigator === 'number' && fromNavigator > 0) return fromNavigator;
  if (typeof process === 'object' && typeof process.versions?.node === 'string') {
    const os = (await import(/* @vite-ignore */ NODE_OS)) as typeof import('node:os');
    return os.availableParallelism();
  }
  return 1;
}

/**
 * Threads the engine uses unless told otherwise: 1 where shared memory is missing (a browser page that is not
 * cross-origin isolated) or the step is too small to split (under {@link MIN_MACS_FOR_THREADS}), else the available
 * cores, at most 4.
 */
export async function defaultThreads(network: EngineNetwork, batchSize: number): Promise<number> {
  if (!sharedMemoryAvailable() || trainingMacs(network, batchSize) < MIN_MACS_FOR_THREADS) return 1;
  return Math.max(1, Math.min(MAX_DEFAULT_THREADS, await availableCores(), batchSize));
}

/**
 * The engine's step for `model` on `set`, or `undefined` when training should take the tfjs autodiff step:
 * `engine: 'tfjs'`, an architecture the engine does not train exactly, or no WebAssembly SIMD (with
 * `engine: 'wasm'` the last two are errors instead).
 *
 * @throws MnistModelError `UNSUPPORTED` when `engine: 'wasm'` cannot be honoured
 */
export async function engineStepFor(
  model: MnistModel,
  set: LabelledImages,
  options: EngineStepOptions,
): Promise<TrainingStep | undefined> {
  if (options.engine === 'tfjs') return undefined;
  const network = engineNetwork(model.layersModel);
  if (network === undefined) {
    if (options.engine === 'auto') return undefined;
    throw new MnistModelError(
      'UNSUPPORTED',
      `train: the wasm engine does not train this architecture (${model.name}); it takes chains of Dense and ` +
        "Conv2D layers (relu or linear) with Flatten and a 10-unit sigmoid/softmax output. Use engine: 'auto' or 'tfjs'.",
    );
  }
  const threads =
    options.threads === undefined
      ? await defaultThreads(network, options.batchSize)
      : sharedMemoryAvailable()
        ? options.threads
        : 1;
  const step = await createWasmStep(network, set, { ...options, threads });
  if (step === undefined && options.engine === 'wasm') {
    throw new MnistModelError(
      'UNSUPPORTED',
      "train: this WebAssembly has no SIMD, which the wasm engine needs. Use engine: 'auto' or 'tfjs'.",
    );
  }
  return step;
}
