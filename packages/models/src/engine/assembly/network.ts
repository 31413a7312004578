// One training step of a whole network, driven by a plan in memory that the host writes once
// (src/engine/layout.ts reads the slot numbers below from this module's exports, so they live here only).
//
// A step is two phases. Phase 1: the batch is cut into a fixed number of contiguous slices (H_SLICES, at least
// the threads), each thread runs whole slices one after another: gather the samples, forward through every
// layer, loss and its gradient, backward into the slice's own gradient buffer. Phase 2, after a barrier, each
// thread owns a range of the parameters: it sums the slices' gradients in slice order and applies Adam there. A
// second barrier ends the step. The arithmetic depends on the slices, not on which thread ran them: 1, 2 or 4
// threads over the same slices leave bit-identical weights.

import { adamUpdate, AdamStep } from './adam';
import { AUGMENT_PARAMS_LENGTH } from './augment';
import { advance, barrier, waitForChange } from './barrier';
import { col2im, ConvShape, im2col } from './conv';
import { biasActivation, columnSums, reluBackward } from './elementwise';
import { gatherBatch } from './gather';
import { gemm, transpose } from './gemm';
import { outputGradient } from './loss';

// Header slots (i32 or f32, 4 bytes each) of a plan.
export const H_LAYERS: i32 = 0;
export const H_THREADS: i32 = 1;
export const H_BATCH: i32 = 2;
export const H_IMAGES: i32 = 3;
export const H_LABELS: i32 = 4;
export const H_ORDER: i32 = 5;
export const H_BATCH_START: i32 = 6;
export const H_MAX_SHIFT: i32 = 7;
export const H_EPOCH_SEED: i32 = 8;
export const H_OUTPUT_ACTIVATION: i32 = 9;
export const H_LOSS_EPSILON: i32 = 10;
export const H_PARAMS: i32 = 11;
export const H_M: i32 = 12;
export const H_V: i32 = 13;
export const H_GRADS: i32 = 14;
export const H_GRAD_STRIDE: i32 = 15;
export const H_PARAM_COUNT: i32 = 16;
/** An AdamStep from here (its fields at ADAM_ALPHA … ADAM_EPSILON slots further): α, 1 − β1, 1 − β2, ε. */
export const H_ADAM: i32 = 17;
export const H_WORKSPACE: i32 = H_ADAM + <i32>(offsetof<AdamStep>() >> 2);
export const H_WORKSPACE_STRIDE: i32 = H_WORKSPACE + 1;
export const H_STATS: i32 = H_WORKSPACE_STRIDE + 1;
export const H_GENERATION: i32 = H_STATS + 1;
export const H_COMMAND: i32 = H_GENERATION + 1;
export const H_BARRIER_COUNT: i32 = H_COMMAND + 1;
export const H_BARRIER_PHASE: i32 = H_BARRIER_COUNT + 1;
export const H_ERROR: i32 = H_BARRIER_PHASE + 1;
export const H_INPUT: i32 = H_ERROR + 1;
export const H_SLICE_LABELS: i32 = H_INPUT + 1;
export const H_SCRATCH: i32 = H_SLICE_LABELS + 1;
export const H_CLASSES: i32 = H_SCRATCH + 1;
/** 1 when this epoch's samples go through the drawing augmentation (assembly/augment.ts), else 0. */
export const H_AUGMENT: i32 = H_CLASSES + 1;
/** The epoch's drawing-augmentation seed; each image's seed is augmentSeed(it, image index). */
export const H_AUGMENT_SEED: i32 = H_AUGMENT + 1;
/** AUGMENT_PARAMS_LENGTH f32 slots from here: the packed augmentation parameters. */
export const H_AUGMENT_PARAMS: i32 = H_AUGMENT_SEED + 1;
/** Byte offset, inside a thread's workspace, of its AUGMENT_SCRATCH_BYTES of augmentation scratch. */
export const H_AUGMENT_SCRATCH: i32 = H_AUGMENT_PARAMS + AUGMENT_PARAMS_LENGTH;
/** The loss's form: LOSS_FROM_LOGITS or LOSS_FROM_PROBABILITIES (assembly/loss.ts). */
export const H_LOSS_FORM: i32 = H_AUGMENT_SCRATCH + 1;
/** Slices the batch is cut into (≥ threads): gradient buffers and statistics are per slice. */
export const H_SLICES: i32 = H_LOSS_FORM + 1;
/** Byte offset of the first layer record; records are LAYER_BYTES apart. */
export const HEADER_BYTES: i32 = 256;
export const LAYER_BYTES: i32 = 128;

// Layer record slots. IN_H … PAD_LEFT are a ConvShape, read in place: their slots follow its fields.
export const L_KIND: i32 = 0;
export const L_ACTIVATION: i32 = 1;
export const L_IN_H: i32 = 2;
export const L_IN_W: i32 = L_IN_H + <i32>(offsetof<ConvShape>('inW') >> 2);
export const L_IN_C: i32 = L_IN_H + <i32>(offsetof<ConvShape>('inC') >> 2);
export const L_OUT_H: i32 = L_IN_H + <i32>(offsetof<ConvShape>('outH') >> 2);
export const L_OUT_W: i32 = L_IN_H + <i32>(offsetof<ConvShape>('outW') >> 2);
export const L_OUT_C: i32 = L_IN_H + <i32>(offsetof<ConvShape>('outC') >> 2);
export const L_KERNEL_H: i32 = L_IN_H + <i32>(offsetof<ConvShape>('kH') >> 2);
export const L_KERNEL_W: i32 = L_IN_H + <i32>(offsetof<ConvShape>('kW') >> 2);
export const L_STRIDE: i32 = L_IN_H + <i32>(offsetof<ConvShape>('stride') >> 2);
export const L_PAD_TOP: i32 = L_IN_H + <i32>(offsetof<ConvShape>('padTop') >> 2);
export const L_PAD_LEFT: i32 = L_IN_H + <i32>(offsetof<ConvShape>('padLeft') >> 2);
/** Float index of the kernel in the parameters (and in every gradient buffer). */
export const L_WEIGHTS: i32 = L_PAD_LEFT + 1;
/** Float index of the bias, or −1. */
export const L_BIAS: i32 = 14;
// Byte offsets inside a thread's workspace.
export const L_X: i32 = 15;
export const L_Y: i32 = 16;
export const L_COLS: i32 = 17;
export const L_DY: i32 = 18;
export const L_DX: i32 = 19;
export const L_DCOLS: i32 = 20;
export const L_WT: i32 = 21;

export const KIND_DENSE: i32 = 1;
export const KIND_CONV: i32 = 2;
export const ACTIVATION_LINEAR: i32 = 0;
export const ACTIVATION_RELU: i32 = 1;
export const COMMAND_RUN: i32 = 0;
export const COMMAND_EXIT: i32 = 1;

// @ts-ignore: decorator
@inline
function slot(base: usize, index: i32): i32 {
  return load<i32>(base + (<usize>index << 2));
}

// @ts-ignore: decorator
@inline
function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** Where part `t` of `parts` starts when `total` things are cut into contiguous parts (samples into slices, slices into threads' shares). */
// @ts-ignore: decorator
@inline
function sliceStart(total: i32, t: i32, parts: i32): i32 {
  return <i32>((<i64>total * t) / parts);
}

/** Rows of a layer's output matrix for n samples: n for dense, n·OH·OW for a convolution. */
// @ts-ignore: decorator
@inline
function rowsOf(layer: usize, n: i32): i32 {
  return slot(layer, L_KIND) == KIND_CONV ? n * slot(layer, L_OUT_H) * slot(layer, L_OUT_W) : n;
}

/** Length of a layer's reduction: inputs of a dense unit, or KH·KW·C of a convolution. */
// @ts-ignore: decorator
@inline
function depthOf(layer: usize): i32 {
  return slot(layer, L_KIND) == KIND_CONV
    ? slot(layer, L_KERNEL_H) * slot(layer, L_KERNEL_W) * slot(layer, L_IN_C)
    : slot(layer, L_IN_H) * slot(layer, L_IN_W) * slot(layer, L_IN_C);
}

/** Phase 1 for thread `t`: its share of the slices (whole slices, in order), each by {@link forwardBackwardSlice}. */
export function forwardBackward(plan: usize, t: i32): void {
  const threads = slot(plan, H_THREADS);
  const slices = slot(plan, H_SLICES);
  const end = sliceStart(slices, t + 1, threads);
  for (let s = sliceStart(slices, t, threads); s < end; s++) forwardBackwardSlice(plan, s, t);
}

/** Slice `s` of the batch, on thread `t`'s workspace: gather, forward, loss, backward into the slice's gradient buffer. */
function forwardBackwardSlice(plan: usize, s: i32, t: i32): void {
  const slices = slot(plan, H_SLICES);
  const batch = slot(plan, H_BATCH);
  const first = sliceStart(batch, s, slices);
  const n = sliceStart(batch, s + 1, slices) - first;
  const layers = slot(plan, H_LAYERS);
  const params = <usize>slot(plan, H_PARAMS);
  const grads = <usize>slot(plan, H_GRADS) + <usize>s * <usize>slot(plan, H_GRAD_STRIDE);
  const ws = <usize>slot(plan, H_WORKSPACE) + <usize>t * <usize>slot(plan, H_WORKSPACE_STRIDE);
  const labels = ws + <usize>slot(plan, H_SLICE_LABELS);
  if (n == 0) {
    // Nothing to add: a zero gradient keeps the sum in phase 2 exact.
    memory.fill(grads, 0, <usize>slot(plan, H_PARAM_COUNT) << 2);
    return;
  }
  gatherBatch(
    <usize>slot(plan, H_IMAGES),
    <usize>slot(plan, H_LABELS),
    <usize>slot(plan, H_ORDER),
    slot(plan, H_BATCH_START) + first,
    n,
    slot(plan, H_MAX_SHIFT),
    <u32>slot(plan, H_EPOCH_SEED),
    ws + <usize>slot(plan, H_INPUT),
    labels,
    slot(plan, H_AUGMENT) != 0 ? at(plan, H_AUGMENT_PARAMS) : 0,
    <u32>slot(plan, H_AUGMENT_SEED),
    ws + <usize>slot(plan, H_AUGMENT_SCRATCH),
  );

  for (let l = 0; l < layers; l++) {
    const layer = plan + HEADER_BYTES + <usize>l * LAYER_BYTES;
    const x = ws + <usize>slot(layer, L_X);
    const y = ws + <usize>slot(layer, L_Y);
    const w = params + (<usize>slot(layer, L_WEIGHTS) << 2);
    const bias = slot(layer, L_BIAS) < 0 ? 0 : params + (<usize>slot(layer, L_BIAS) << 2);
    const outC = slot(layer, L_OUT_C);
    const depth = depthOf(layer);
    const rows = rowsOf(layer, n);
    let a = x;
    if (slot(layer, L_KIND) == KIND_CONV) {
      a = ws + <usize>slot(layer, L_COLS);
      im2col(x, a, n, changetype<ConvShape>(at(layer, L_IN_H)));
    }
    gemm(a, depth, 1, w, outC, y, outC, rows, outC, depth, 0);
    biasActivation(y, bias, rows, outC, slot(layer, L_ACTIVATION) == ACTIVATION_RELU ? 1 : 0);
  }

  const last = plan + HEADER_BYTES + <usize>(layers - 1) * LAYER_BYTES;
  outputGradient(
    ws + <usize>slot(last, L_Y),
    labels,
    n,
    slot(plan, H_CLASSES),
    slot(plan, H_OUTPUT_ACTIVATION),
    slot(plan, H_LOSS_FORM),
    load<f32>(at(plan, H_LOSS_EPSILON)),
    1.0 / <f64>batch,
    ws + <usize>slot(last, L_DY),
    <usize>slot(plan, H_STATS) + (<usize>s << 4),
    ws + <usize>slot(plan, H_SCRATCH),
  );

  for (let l = layers - 1; l >= 0; l--) {
    const layer = plan + HEADER_BYTES + <usize>l * LAYER_BYTES;
    const dy = ws + <usize>slot(layer, L_DY);
    const outC = slot(layer, L_OUT_C);
    const depth = depthOf(layer);
    const rows = rowsOf(layer, n);
    const conv = slot(layer, L_KIND) == KIND_CONV;
    if (slot(layer, L_ACTIVATION) == ACTIVATION_RELU) {
      reluBackward(dy, ws + <usize>slot(layer, L_Y), rows * outC);
    }
    const a = ws + <usize>slot(layer, conv ? L_COLS : L_X);
    // dW = aᵀ·dy (a is rows × depth), db = Σ_rows dy.
    gemm(a, 1, depth, dy, outC, grads + (<usize>slot(layer, L_WEIGHTS) << 2), outC, depth, outC, rows, 0);
    if (slot(layer, L_BIAS) >= 0) columnSums(dy, rows, outC, grads + (<usize>slot(layer, L_BIAS) << 2));
    if (l == 0) break;
    // d(input) = dy·Wᵀ, through an explicit Wᵀ; for a convolution into d(cols), then folded back by col2im.
    const wt = ws + <usize>slot(layer, L_WT);
    transpose(params + (<usize>slot(layer, L_WEIGHTS) << 2), wt, depth, outC);
    const dx = ws + <usize>slot(layer, L_DX);
    if (conv) {
      const dcols = ws + <usize>slot(layer, L_DCOLS);
      gemm(dy, outC, 1, wt, depth, dcols, depth, rows, depth, outC, 0);
      col2im(dcols, dx, n, changetype<ConvShape>(at(layer, L_IN_H)));
    } else {
      gemm(dy, outC, 1, wt, depth, dx, depth, rows, depth, outC, 0);
    }
  }
}

/** Phase 2 for thread `t`: gradients summed over the slices and Adam on the thread's share of the parameters. */
export function update(plan: usize, t: i32): void {
  const threads = slot(plan, H_THREADS);
  const count = slot(plan, H_PARAM_COUNT);
  // Shares are whole groups of 4 floats, so every thread but the last runs only the SIMD loop.
  const share = ((count + threads * 4 - 1) / (threads * 4)) * 4;
  const start = min(count, t * share);
  const end = min(count, start + share);
  if (start >= end) return;
  adamUpdate(
    <usize>slot(plan, H_PARAMS),
    <usize>slot(plan, H_M),
    <usize>slot(plan, H_V),
    <usize>slot(plan, H_GRADS),
    <usize>slot(plan, H_GRAD_STRIDE),
    slot(plan, H_SLICES),
    start,
    end,
    changetype<AdamStep>(at(plan, H_ADAM)),
  );
}

/**
 * One whole step, called by the host's thread (thread 0): wakes the workers, runs its own slice, and returns
 * when every thread has finished both phases. `canBlock` = 0 where the caller may not block (a browser's main
 * thread). Returns 0, or 1 when a worker failed (the step's result is then undefined).
 */
export function trainStep(plan: usize, canBlock: i32): i32 {
  const threads = slot(plan, H_THREADS);
  if (threads > 1) advance(at(plan, H_GENERATION));
  forwardBackward(plan, 0);
  if (threads > 1 && sync(plan, canBlock)) return 1;
  update(plan, 0);
  if (threads > 1 && sync(plan, canBlock)) return 1;
  return 0;
}

function sync(plan: usize, canBlock: i32): i32 {
  return barrier(
    at(plan, H_BARRIER_COUNT),
    at(plan, H_BARRIER_PHASE),
    at(plan, H_ERROR),
    slot(plan, H_THREADS),
    canBlock,
  );
}

/**
 * A worker's life: wait for the next generation, run both phases of a step as thread `t`, repeat, until the
 * command word says exit or the error word is set. `generation` is the value the host started it with.
 */
export function workerLoop(plan: usize, t: i32, generation: i32): void {
  let seen = generation;
  for (;;) {
    if (waitForChange(at(plan, H_GENERATION), seen, at(plan, H_ERROR), 1)) return;
    seen = atomic.load<i32>(at(plan, H_GENERATION));
    if (atomic.load<i32>(at(plan, H_COMMAND)) == COMMAND_EXIT) return;
    forwardBackward(plan, t);
    if (sync(plan, 1)) return;
    update(plan, t);
    if (sync(plan, 1)) return;
  }
}
