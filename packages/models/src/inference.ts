import { sizeTopology } from './io/topology.js';
import type { MnistModel } from './model.js';

/** What one image costs a model, from its topology (see {@link inferenceCost}). */
export interface InferenceCost {
  /** Arithmetic per image: multiply-adds, a window per pooled value, one per value of every other layer. */
  readonly operations: number;
  /** Values of the largest activation of one image (what one image of a batch holds at once, at most). */
  readonly largestActivation: number;
}

/** The most operations one inference batch is given by default (a second or so on the slowest backend). */
const BATCH_OPERATIONS = 2 ** 30;
/** The most values one activation of a default batch may hold (256 MB of float32). */
const BATCH_ACTIVATION_VALUES = 2 ** 26;

const costs = new WeakMap<object, InferenceCost | null>();

/**
 * What one image costs `model`, sized from its topology as `loadModel` sizes a file's (and cached per network);
 * `undefined` for a network of layer kinds `loadModel` does not size (a model built in code).
 */
export function inferenceCost(model: Pick<MnistModel, 'layersModel'>): InferenceCost | undefined {
  const known = costs.get(model.layersModel);
  if (known !== undefined) return known ?? undefined;
  let cost: InferenceCost | null = null;
  try {
    // Sized without the operations limit: a network built in code may cost more than a loaded one may.
    const sized = sizeTopology(model.layersModel.toJSON(null, false), 'the model', Number.POSITIVE_INFINITY);
    const largestActivation = Math.max(
      ...sized.layers.map((layer) => layer.outputShape.reduce((a, b) => a * b, 1)),
    );
    cost = { operations: sized.operations, largestActivation };
  } catch {
    cost = null;
  }
  costs.set(model.layersModel, cost);
  return cost ?? undefined;
}

/**
 * Images per forward pass for inference. Large on purpose: wasm and webgl pay a fixed cost per kernel call,
 * so 1,000 flat images cost little more than one. Image models keep activations 28×28×channels per image,
 * hence a smaller batch. A costly network gets fewer: a batch stays within about 2³⁰ operations (a second
 * or so on the slowest backend) and 2²⁶ values of its largest activation, down to one image.
 */
export function defaultInferenceBatchSize(model: MnistModel): number {
  const base = model.inputKind === 'flat' ? 1000 : 256;
  const cost = inferenceCost(model);
  if (cost === undefined) return base;
  const byOperations = Math.floor(BATCH_OPERATIONS / Math.max(1, cost.operations));
  const byMemory = Math.floor(BATCH_ACTIVATION_VALUES / Math.max(1, cost.largestActivation));
  return Math.max(1, Math.min(base, byOperations, byMemory));
}
