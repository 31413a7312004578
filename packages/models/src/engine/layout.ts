import { CLASSES, PIXELS } from '../input.js';
import type { CrossEntropyForm } from '../loss.js';
import type { EngineNetwork } from './architecture.js';
import type { EngineConstants } from './module.js';

/** Where everything lives in the engine's memory (byte offsets), for one network, batch size and data set. */
export interface EngineLayout {
  plan: number;
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
 * Lays out the engine's memory: a plan header, per-thread statistics, parameters with Adam's moments, one
 * gradient buffer per thread, the epoch's sample order, the training set as bytes, and one workspace per
 * thread sized for the largest slice of a batch (⌈batch / threads⌉ samples). Cache-line aligned throughout.
 */
export function layoutEngine(
  network: EngineNetwork,
  options: { threads: number; batchSize: number; samples: number },
  constants: EngineConstants,
): EngineLayout {
  const { threads, batchSize, samples } = options;
  const slice = Math.ceil(batchSize / threads);
  const headerBytes = constants.HEADER_BYTES as number;
  const layerBytes = constants.LAYER_BYTES as number;
  let at = 1024; // never use address 0, so a zero pointer always means "none"
  const take = (bytes: number) => {
    const start = at;
    at = align(at + bytes);
    return start;
  };
  const plan = take(headerBytes + layerBytes * network.layers.length);
  const stats = take(16 * threads);
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
  const grads = take(paramBytes * threads);
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
  const augmentScratch = part(constants.AUGMENT_SCRATCH_BYTES as number);
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
  constants: EngineConstants,
): void {
  const header = new Int32Array(buffer, layout.plan, (constants.HEADER_BYTES as number) / 4);
  const headerFloats = new Float32Array(buffer, layout.plan, header.length);
  const c = (name: string) => constants[name] as number;
  header[c('H_LAYERS')] = network.layers.length;
  header[c('H_THREADS')] = threads;
  header[c('H_IMAGES')] = layout.images;
  header[c('H_LABELS')] = layout.labels;
  header[c('H_ORDER')] = layout.order;
  header[c('H_OUTPUT_ACTIVATION')] = network.outputActivation === 'softmax' ? 1 : 0;
  headerFloats[c('H_LOSS_EPSILON')] = loss.epsilon;
  header[c('H_LOSS_FORM')] =
    loss.crossEntropy === 'logits' ? c('LOSS_FROM_LOGITS') : c('LOSS_FROM_PROBABILITIES');
  header[c('H_PARAMS')] = layout.params;
  header[c('H_M')] = layout.m;
  header[c('H_V')] = layout.v;
  header[c('H_GRADS')] = layout.grads;
  header[c('H_GRAD_STRIDE')] = layout.gradStride;
  header[c('H_PARAM_COUNT')] = network.parameterCount;
  header[c('H_WORKSPACE')] = layout.workspace;
  header[c('H_WORKSPACE_STRIDE')] = layout.workspaceStride;
  header[c('H_STATS')] = layout.stats;
  header[c('H_INPUT')] = layout.input;
  header[c('H_SLICE_LABELS')] = layout.sliceLabels;
  header[c('H_SCRATCH')] = layout.scratch;
  header[c('H_AUGMENT_SCRATCH')] = layout.augmentScratch;
  header[c('H_CLASSES')] = CLASSES;
  const layerBytes = c('LAYER_BYTES');
  for (const [index, layer] of network.layers.entries()) {
    const record = new Int32Array(
      buffer,
      layout.plan + c('HEADER_BYTES') + index * layerBytes,
      layerBytes / 4,
    );
    record[c('L_KIND')] = layer.kind === 'conv' ? c('KIND_CONV') : c('KIND_DENSE');
    record[c('L_ACTIVATION')] = layer.activation === 'relu' ? c('ACTIVATION_RELU') : c('ACTIVATION_LINEAR');
    [record[c('L_IN_H')], record[c('L_IN_W')], record[c('L_IN_C')]] = layer.input;
    [record[c('L_OUT_H')], record[c('L_OUT_W')], record[c('L_OUT_C')]] = layer.output;
    [record[c('L_KERNEL_H')], record[c('L_KERNEL_W')]] = layer.kernel ?? [1, 1];
    record[c('L_STRIDE')] = layer.stride ?? 1;
    record[c('L_PAD_TOP')] = layer.padTop ?? 0;
    record[c('L_PAD_LEFT')] = layer.padLeft ?? 0;
    record[c('L_WEIGHTS')] = layout.weightOffsets[index] as number;
    record[c('L_BIAS')] = layout.biasOffsets[index] as number;
    const [x, y, cols, dy, dx, dcols, wt] = layout.buffers[index] as number[];
    record[c('L_X')] = x as number;
    record[c('L_Y')] = y as number;
    record[c('L_COLS')] = cols as number;
    record[c('L_DY')] = dy as number;
    record[c('L_DX')] = dx as number;
    record[c('L_DCOLS')] = dcols as number;
    record[c('L_WT')] = wt as number;
  }
}
