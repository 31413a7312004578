import { CLASSES, PIXELS } from '../input.js';
import type { CrossEntropyForm } from '../loss.js';
import type { EngineNetwork } from './architecture.js';
import {
  ACTIVATION_LINEAR,
  ACTIVATION_RELU,
  AUGMENT_SCRATCH_BYTES,
  HEADER_BYTES,
  KIND_CONV,
  KIND_DENSE,
  LAYER_BYTES,
  LAYER_SLOT,
  LOSS_FROM_LOGITS,
  LOSS_FROM_PROBABILITIES,
  OUTPUT_SIGMOID,
  OUTPUT_SOFTMAX,
  PLAN_SLOT,
} from '../generated/engine-layout.js';

/**
 * Slices a batch is cut into when the engine runs on at most this many threads: each slice has its own gradient
 * buffer and the step sums them in slice order, so a run's weights depend on the slices alone. With a fixed count,
 * training on 1, 2, 3 or 4 threads (a laptop, a phone, a page with or without shared memory) leaves the same bits.
 */
export const BATCH_SLICES = 4;

/** Slices for `threads` threads: {@link BATCH_SLICES}, or one per thread beyond that. */
export function slicesFor(threads: number): number {
  return Math.max(BATCH_SLICES, threads);
}

/** Where everything lives in the engine's memory (byte offsets), for one network, batch size and data set. */
export interface EngineLayout {
  plan: number;
  /** Slices of a batch ({@link slicesFor}): gradient buffers and statistics, one per slice. */
  slices: number;
  stats: number;
  params: number;
  m: number;
  v: number;
  grads: number;
  gradStride: number;
  order: number;
  labels: number;
  images: number;
  workspace: number;
  workspaceStride: number;
  /** Bytes of memory needed. */
  bytes: number;
  /** Float index of each layer's kernel and bias (−1: none) in the parameters. */
  weightOffsets: number[];
  biasOffsets: number[];
  /** Byte offsets inside a thread's workspace, per layer: [x, y, cols, dy, dx, dcols, wt]. */
  buffers: number[][];
  input: number;
  sliceLabels: number;
  scratch: number;
  /** Byte offset inside a thread's workspace of its drawing-augmentation scratch. */
  augmentScratch: number;
}

const align = (value: number, to = 64) => Math.ceil(value / to) * to;

/** Rows of a layer's output matrix and the length of its reduction, per sample. */
export function layerDims(layer: EngineNetwork['layers'][number]): { rows: number; depth: number } {
  const [inH, inW, inC] = layer.input;
  if (layer.kind === 'dense') return { rows: 1, depth: inH * inW * inC };
  const [kh, kw] = layer.kernel as [number, number];
  return { rows: layer.output[0] * layer.output[1], depth: kh * kw * inC };
}

/**
 * Lays out the engine's memory: a plan header, per-slice statistics, parameters with Adam's moments, one
 * gradient buffer per slice, the epoch's sample order, the training set as bytes, and one workspace per
 * thread sized for the largest slice of a batch (⌈batch / slices⌉ samples). Cache-line aligned throughout.
 */
export function layoutEngine(
  network: EngineNetwork,
  options: { threads: number; batchSize: number; samples: number },
): EngineLayout {
  const { threads, batchSize, samples } = options;
  const slices = slicesFor(threads);
  const slice = Math.ceil(batchSize / slices);
  let at = 1024; // never use address 0, so a zero pointer always means "none"
  const take = (bytes: number) => {
    const start = at;
    at = align(at + bytes);
    return start;
  };
  const plan = take(HEADER_BYTES + LAYER_BYTES * network.layers.length);
  const stats = take(16 * slices);
  const weightOffsets: number[] = [];
  const biasOffsets: number[] = [];
  let floats = 0;
  for (const layer of network.layers) {
    const { depth } = layerDims(layer);
    const units = layer.output[2];
    weightOffsets.push(floats);
    floats += depth * units;
    biasOffsets.push(layer.bias === undefined ? -1 : floats);
    if (layer.bias !== undefined) floats += units;
  }
  const paramBytes = align(floats * 4);
  const params = take(paramBytes);
  const m = take(paramBytes);
  const v = take(paramBytes);
  const grads = take(paramBytes * slices);
  const order = take(samples * 4);
  const labels = take(samples);
  const images = take(samples * PIXELS);

  // One thread's workspace.
  let w = 0;
  const part = (bytes: number) => {
    const start = w;
    w = align(w + bytes);
    return start;
  };
  const input = part(slice * PIXELS * 4);
  const sliceLabels = part(slice * 4);
  const scratch = part(16 * CLASSES);
  const augmentScratch = part(AUGMENT_SCRATCH_BYTES);
  const buffers: number[][] = [];
  let previousY = input;
  let previousDy = -1;
  for (const [index, layer] of network.layers.entries()) {
    const { rows, depth } = layerDims(layer);
    const units = layer.output[2];
    const y = part(slice * rows * units * 4);
    const dy = part(slice * rows * units * 4);
    const cols = layer.kind === 'conv' ? part(slice * rows * depth * 4) : -1;
    const dcols = layer.kind === 'conv' && index > 0 ? part(slice * rows * depth * 4) : -1;
    const wt = index > 0 ? part(depth * units * 4) : -1;
    buffers.push([previousY, y, cols, dy, previousDy, dcols, wt]);
    previousY = y;
    previousDy = dy;
  }
  const workspaceStride = align(w);
  const workspace = take(workspaceStride * threads);
  return {
    plan,
    slices,
    stats,
    params,
    m,
    v,
    grads,
    gradStride: paramBytes,
    order,
    labels,
    images,
    workspace,
    workspaceStride,
    bytes: at,
    weightOffsets,
    biasOffsets,
    buffers,
    input,
    sliceLabels,
    scratch,
    augmentScratch,
  };
}

/** Writes the plan (header and layer records) the module's step reads. */
export function writePlan(
  buffer: ArrayBufferLike,
  layout: EngineLayout,
  network: EngineNetwork,
  threads: number,
  loss: { epsilon: number; crossEntropy: CrossEntropyForm },
): void {
  const header = new Int32Array(buffer, layout.plan, HEADER_BYTES / 4);
  const headerFloats = new Float32Array(buffer, layout.plan, header.length);
  header[PLAN_SLOT.LAYERS] = network.layers.length;
  header[PLAN_SLOT.THREADS] = threads;
  header[PLAN_SLOT.SLICES] = layout.slices;
  header[PLAN_SLOT.IMAGES] = layout.images;
  header[PLAN_SLOT.LABELS] = layout.labels;
  header[PLAN_SLOT.ORDER] = layout.order;
  header[PLAN_SLOT.OUTPUT_ACTIVATION] =
    network.outputActivation === 'softmax' ? OUTPUT_SOFTMAX : OUTPUT_SIGMOID;
  headerFloats[PLAN_SLOT.LOSS_EPSILON] = loss.epsilon;
  header[PLAN_SLOT.LOSS_FORM] = loss.crossEntropy === 'logits' ? LOSS_FROM_LOGITS : LOSS_FROM_PROBABILITIES;
  header[PLAN_SLOT.PARAMS] = layout.params;
  header[PLAN_SLOT.M] = layout.m;
  header[PLAN_SLOT.V] = layout.v;
  header[PLAN_SLOT.GRADS] = layout.grads;
  header[PLAN_SLOT.GRAD_STRIDE] = layout.gradStride;
  header[PLAN_SLOT.PARAM_COUNT] = network.parameterCount;
  header[PLAN_SLOT.WORKSPACE] = layout.workspace;
  header[PLAN_SLOT.WORKSPACE_STRIDE] = layout.workspaceStride;
  header[PLAN_SLOT.STATS] = layout.stats;
  header[PLAN_SLOT.INPUT] = layout.input;
  header[PLAN_SLOT.SLICE_LABELS] = layout.sliceLabels;
  header[PLAN_SLOT.SCRATCH] = layout.scratch;
  header[PLAN_SLOT.AUGMENT_SCRATCH] = layout.augmentScratch;
  header[PLAN_SLOT.CLASSES] = CLASSES;
  for (const [index, layer] of network.layers.entries()) {
    const record = new Int32Array(buffer, layout.plan + HEADER_BYTES + index * LAYER_BYTES, LAYER_BYTES / 4);
    record[LAYER_SLOT.KIND] = layer.kind === 'conv' ? KIND_CONV : KIND_DENSE;
    record[LAYER_SLOT.ACTIVATION] = layer.activation === 'relu' ? ACTIVATION_RELU : ACTIVATION_LINEAR;
    [record[LAYER_SLOT.IN_H], record[LAYER_SLOT.IN_W], record[LAYER_SLOT.IN_C]] = layer.input;
    [record[LAYER_SLOT.OUT_H], record[LAYER_SLOT.OUT_W], record[LAYER_SLOT.OUT_C]] = layer.output;
    [record[LAYER_SLOT.KERNEL_H], record[LAYER_SLOT.KERNEL_W]] = layer.kernel ?? [1, 1];
    record[LAYER_SLOT.STRIDE] = layer.stride ?? 1;
    record[LAYER_SLOT.PAD_TOP] = layer.padTop ?? 0;
    record[LAYER_SLOT.PAD_LEFT] = layer.padLeft ?? 0;
    record[LAYER_SLOT.WEIGHTS] = layout.weightOffsets[index] as number;
    record[LAYER_SLOT.BIAS] = layout.biasOffsets[index] as number;
    const [x, y, cols, dy, dx, dcols, wt] = layout.buffers[index] as number[];
    record[LAYER_SLOT.X] = x as number;
    record[LAYER_SLOT.Y] = y as number;
    record[LAYER_SLOT.COLS] = cols as number;
    record[LAYER_SLOT.DY] = dy as number;
    record[LAYER_SLOT.DX] = dx as number;
    record[LAYER_SLOT.DCOLS] = dcols as number;
    record[LAYER_SLOT.WT] = wt as number;
  }
}
