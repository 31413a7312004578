import { tensor, tidy } from '@tensorflow/tfjs-core';
import { packAugmentParams } from '../augment/params.js';
import { MnistModelError } from '../errors.js';
import type { CrossEntropyForm } from '../loss.js';
import { type LabelledImages, PIXELS } from '../input.js';
import { adamScalars } from '../adam.js';
import type { EpochPlan, TrainingStep } from '../step.js';
import type { EngineNetwork } from './architecture.js';
import { type EngineLayout, layerDims, layoutEngine, writePlan } from './layout.js';
import { ADAM_SLOT, COMMAND_EXIT, HEADER_BYTES, PLAN_SLOT } from '../generated/engine-layout.js';
import { type EngineExports, engineMemory, engineModule, instantiateEngine } from './module.js';
import { type EngineWorker, startWorker } from './workers.js';

/** Settings of a wasm training step. */
export interface WasmStepOptions {
  /** Threads to train on (the calling thread plus threads − 1 workers); 1 where shared memory is missing. */
  threads: number;
  /** The largest batch a step will get. */
  batchSize: number;
  /** Random shift of each image by up to this many pixels (0: none). */
  maxShift: number;
  /** Adam's ε and the loss's clipping ε (Keras: 1e-7). */
  epsilon: number;
  /** Which Keras's sparse categorical cross-entropy to minimise. */
  crossEntropy: CrossEntropyForm;
}

/** Steps alive right now (tests reach into one to force a failure inside a worker). */
const activeSteps = new Set<TrainingStep>();

/** The wasm steps not yet disposed. */
export function activeWasmSteps(): TrainingStep[] {
  return [...activeSteps];
}

/** Whether the calling thread may block in `Atomics.wait` (Node's threads and browser workers may; a page may not). */
function callerCanBlock(): boolean {
  if (typeof process === 'object' && typeof process.versions?.node === 'string') return true;
  return typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
}

/**
 * The engine's training step: the network's weights, Adam's moments and the whole training set resident in
 * WebAssembly memory, one call into the module per batch (gather, forward, loss, backward, Adam), on
 * `threads` threads. `undefined` when this WebAssembly cannot run the module (no SIMD).
 */
export async function createWasmStep(
  network: EngineNetwork,
  set: LabelledImages,
  options: WasmStepOptions,
): Promise<TrainingStep | undefined> {
  let threads = Math.max(1, Math.floor(options.threads));
  let shared = threads > 1;
  let module = await engineModule(shared);
  if (module === undefined && shared) {
    threads = 1;
    shared = false;
    module = await engineModule(false);
  }
  if (module === undefined) return undefined;
  const layout = layoutEngine(network, { threads, batchSize: options.batchSize, samples: set.count });
  const memory = engineMemory(layout.bytes, shared);
  const { exports } = instantiateEngine(module, memory);
  const step = new WasmStep(network, layout, memory, exports, threads, options);
  step.upload(set);
  if (threads > 1) {
    try {
      await step.startWorkers(module);
    } catch {
      // Workers cannot start here (e.g. a page whose CSP forbids blob: workers): train on this thread alone.
      return createWasmStep(network, set, { ...options, threads: 1 });
    }
  }
  return step;
}

class WasmStep implements TrainingStep {
  readonly engine;
  private readonly header: Int32Array;
  private readonly headerFloats: Float32Array;
  private readonly workers: EngineWorker[] = [];
  private readonly canBlock: number;
  /** Adam's steps taken so far (Keras's `iterations`). */
  private steps = 0;
  /** Adam's rate for this epoch (set by each epoch's plan). */
  private learningRate = Number.NaN;
  private readonly epsilon: number;
  private failure: string | undefined;
  private disposed = false;

  constructor(
    private readonly network: EngineNetwork,
    private readonly layout: EngineLayout,
    private readonly memory: WebAssembly.Memory,
    private readonly exports: EngineExports,
    private readonly threads: number,
    options: WasmStepOptions,
  ) {
    this.engine = { kind: 'wasm', threads, simd: true } as const;
    this.canBlock = callerCanBlock() ? 1 : 0;
    writePlan(memory.buffer, layout, network, threads, options);
    this.header = new Int32Array(memory.buffer, layout.plan, HEADER_BYTES / 4);
    this.headerFloats = new Float32Array(memory.buffer, layout.plan, this.header.length);
    this.epsilon = options.epsilon;
    this.header[PLAN_SLOT.MAX_SHIFT] = options.maxShift;
    this.readWeights();
    activeSteps.add(this);
  }

  /** Copies the training set in as bytes, once. */
  upload(set: LabelledImages): void {
    const { buffer } = this.memory;
    new Uint8Array(buffer, this.layout.images, set.count * PIXELS).set(set.images);
    new Uint8Array(buffer, this.layout.labels, set.count).set(set.labels);
  }

  /** Starts threads − 1 workers and waits until each is inside its loop. */
  async startWorkers(module: WebAssembly.Module): Promise<void> {
    const wordOf = (slot: number) => this.layout.plan / 4 + slot;
    try {
      for (let thread = 1; thread < this.threads; thread++) {
        const worker = await startWorker(
          {
            module,
            memory: this.memory,
            plan: this.layout.plan,
            thread,
            generation: this.header[PLAN_SLOT.GENERATION] as number,
            errorWord: wordOf(PLAN_SLOT.ERROR),
            wakeWords: [wordOf(PLAN_SLOT.BARRIER_PHASE), wordOf(PLAN_SLOT.GENERATION)],
          },
          (message) => {
            this.failure ??= message;
          },
        );
        this.workers.push(worker);
      }
      await Promise.all(this.workers.map((worker) => worker.ready));
    } catch (error) {
      this.dispose();
      throw this.crashError(error);
    }
  }

  private crashError(cause?: unknown): MnistModelError {
    const reason = this.failure ?? (cause instanceof Error ? cause.message : String(cause));
    return new MnistModelError(
      'TRAINING_FAILED',
      `train: a training thread of the wasm engine failed (${reason}); all its threads were stopped. ` +
        "Retry, or pass { engine: 'tfjs' } to train without the engine.",
      { cause },
    );
  }

  /** The model's current weights into the engine's parameters. */
  private readWeights(): void {
    const params = new Float32Array(this.memory.buffer, this.layout.params, this.network.parameterCount);
    for (const [index, layer] of this.network.layers.entries()) {
      params.set(layer.weights.read().dataSync() as Float32Array, this.layout.weightOffsets[index]);
      if (layer.bias !== undefined) {
        params.set(layer.bias.read().dataSync() as Float32Array, this.layout.biasOffsets[index]);
      }
    }
  }

  beginEpoch(plan: EpochPlan): void {
    this.assertUsable();
    // The recipe's drawing augmentation, applied per sample inside the gather (engine/assembly/augment.ts). Packed (and
    // checked) before anything is written: refused parameters leave the engine as it was.
    const augment = plan.augmentation && {
      epochSeed: plan.augmentation.epochSeed,
      params: packAugmentParams(plan.augmentation.params),
    };
    new Uint32Array(this.memory.buffer, this.layout.order, plan.order.length).set(plan.order);
    this.header[PLAN_SLOT.EPOCH_SEED] = plan.augmentSeed | 0;
    if (augment !== undefined) {
      this.header[PLAN_SLOT.AUGMENT_SEED] = augment.epochSeed | 0;
      this.headerFloats.set(augment.params, PLAN_SLOT.AUGMENT_PARAMS);
    }
    this.header[PLAN_SLOT.AUGMENT] = augment === undefined ? 0 : 1;
    this.learningRate = plan.learningRate;
    new Float64Array(this.memory.buffer, this.layout.stats, 2 * this.layout.slices).fill(0);
  }

  run(start: number, size: number): void {
    this.assertUsable();
    this.header[PLAN_SLOT.BATCH] = size;
    this.header[PLAN_SLOT.BATCH_START] = start;
    const adam = adamScalars(this.learningRate, this.steps + 1, this.epsilon);
    this.headerFloats[PLAN_SLOT.ADAM + ADAM_SLOT.ALPHA] = adam.alpha;
    this.headerFloats[PLAN_SLOT.ADAM + ADAM_SLOT.ONE_MINUS_BETA1] = adam.oneMinusBeta1;
    this.headerFloats[PLAN_SLOT.ADAM + ADAM_SLOT.ONE_MINUS_BETA2] = adam.oneMinusBeta2;
    this.headerFloats[PLAN_SLOT.ADAM + ADAM_SLOT.EPSILON] = adam.epsilon;
    if (this.exports.trainStep(this.layout.plan, this.canBlock) !== 0 || this.failure !== undefined) {
      const error = this.crashError();
      this.dispose();
      throw error;
    }
    this.steps += 1;
  }

  async totals(): Promise<[number, number]> {
    const stats = new Float64Array(this.memory.buffer, this.layout.stats, 2 * this.layout.slices);
    let loss = 0;
    let correct = 0;
    for (let s = 0; s < this.layout.slices; s++) {
      loss += stats[2 * s] as number;
      correct += stats[2 * s + 1] as number;
    }
    return [loss, correct];
  }

  syncWeights(): void {
    if (this.disposed) return;
    const params = new Float32Array(this.memory.buffer, this.layout.params, this.network.parameterCount);
    tidy(() => {
      for (const [index, layer] of this.network.layers.entries()) {
        const { depth } = layerDims(layer);
        const units = layer.output[2];
        const shape = layer.weights.read().shape;
        const from = this.layout.weightOffsets[index] as number;
        layer.weights.write(tensor(params.slice(from, from + depth * units), shape));
        if (layer.bias !== undefined) {
          const at = this.layout.biasOffsets[index] as number;
          layer.bias.write(tensor(params.slice(at, at + units), [units]));
        }
      }
    });
  }

  private assertUsable(): void {
    if (this.disposed) throw this.crashError(new Error('the engine was already stopped'));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    activeSteps.delete(this);
    if (this.workers.length > 0) {
      const words = new Int32Array(this.memory.buffer);
      const wordOf = (slot: number) => this.layout.plan / 4 + slot;
      Atomics.store(words, wordOf(PLAN_SLOT.COMMAND), COMMAND_EXIT);
      Atomics.add(words, wordOf(PLAN_SLOT.GENERATION), 1);
      Atomics.notify(words, wordOf(PLAN_SLOT.GENERATION));
      for (const worker of this.workers) void worker.terminate();
    }
  }
}

/** Test access to a running step's plan words (to force a failure inside a worker); index them with PLAN_SLOT. */
export function planWords(step: TrainingStep): Int32Array | undefined {
  if (!(step instanceof WasmStep)) return undefined;
  const inner = step as unknown as { memory: WebAssembly.Memory; layout: EngineLayout };
  return new Int32Array(inner.memory.buffer, inner.layout.plan);
}
