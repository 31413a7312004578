import type { AugmentParams } from './augment/params.js';

/** Per-sample augmentation of one epoch: each image's seed is derived from `epochSeed` and its index in the set. */
export interface EpochAugmentation {
  params: AugmentParams;
  epochSeed: number;
}

/** What trained a model: the WebAssembly engine (with its thread count) or tfjs autodiff on a backend. */
export type EngineReport = { kind: 'wasm'; threads: number; simd: true } | { kind: 'tfjs'; backend: string };

/** One epoch's plan, given to {@link TrainingStep.beginEpoch}. */
export interface EpochPlan {
  /** The epoch's sample order: indices into the training set. */
  order: Uint32Array;
  /** Adam's learning rate for this epoch. */
  learningRate: number;
  /** Seed of the epoch's random shifts; sample k of the epoch draws from sampleSeed(augmentSeed, k). */
  augmentSeed: number;
  /** The recipe's drawing augmentation for this epoch, when it has one (both steps apply it per sample). */
  augmentation?: EpochAugmentation;
}

/**
 * One optimiser step per batch, behind a seam: `train`'s loop only needs these calls, so the fused engine
 * (src/engine/) and the generic tfjs autodiff step (src/train/autodiff-step.ts) are interchangeable. A step owns the training set it
 * was made for and Adam's state.
 */
export interface TrainingStep {
  /** What runs the steps. */
  readonly engine: EngineReport;
  /** Starts an epoch: its order and learning rate; the running totals restart from zero. */
  beginEpoch(plan: EpochPlan): void;
  /** Trains on the samples at positions [start, start + size) of the epoch's order. */
  run(start: number, size: number): void;
  /** The epoch's running [summed per-sample loss, correct predictions] so far. */
  totals(): Promise<[number, number]>;
  /** Makes the model's variables hold the trained weights (a no-op where they always do). */
  syncWeights(): void;
  /** Frees Adam's state, memory and any threads. Idempotent. */
  dispose(): void;
}
