import {
  CLASSES,
  evaluate,
  inferenceCost,
  type LabelledImages,
  type MnistModel,
  PIXELS,
} from '@mnist/models';
import { evaluationEvent } from '../events/evaluation';
import type { EvaluationEvent } from '../events/types';
import { yieldToEventLoop } from '@mnist/data';

/** How long one chunk of the evaluation should take: a stop request is noticed within about this. */
export const CHUNK_TARGET_MS = 300;
/** Images in the first chunk at most, and the bounds of later ones (powers of two, so batches stay regular). */
const FIRST_CHUNK = 32;
const MIN_CHUNK = 1;
const MAX_CHUNK = 1024;
/**
 * The most operations the first chunk may cost, before any chunk was timed: about 300 ms on the slowest backend
 * (plain JavaScript does about 0.4 G multiply-adds a second).
 */
const FIRST_CHUNK_OPERATIONS = 2 ** 27;

/**
 * The first chunk's size: {@link FIRST_CHUNK} images, or fewer for a costly network (as a power of two, down to one
 * image), so that even a network of the most arithmetic `loadModel` accepts is stopped within a second or two.
 */
export function firstChunkSize(model: Pick<MnistModel, 'layersModel'>): number {
  const operations = inferenceCost(model)?.operations;
  if (operations === undefined) return FIRST_CHUNK;
  const fits = Math.max(1, Math.floor(FIRST_CHUNK_OPERATIONS / operations));
  return Math.min(FIRST_CHUNK, 2 ** Math.floor(Math.log2(fits)));
}

/** The next chunk size: the one that would have taken about {@link CHUNK_TARGET_MS}, as a power of two. */
export function nextChunkSize(size: number, elapsedMs: number, targetMs = CHUNK_TARGET_MS): number {
  const ideal = size * (targetMs / Math.max(elapsedMs, 1));
  const power = 2 ** Math.round(Math.log2(Math.max(ideal, 1)));
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, power));
}

/** What {@link evaluateInChunks} measured. */
export interface ChunkedEvaluation {
  /** Mean loss over every image. */
  readonly loss: number;
  /** The predicted label of every image. */
  readonly predictions: Uint8Array;
  /** Every image's class probabilities (`count × 10`) as `predict` gives them. */
  readonly probabilities: Float32Array;
  readonly count: number;
  readonly seconds: number;
}

/** Options of {@link evaluateInChunks} and {@link evaluateModel}. */
export interface EvaluationOptions {
  /** Checked between chunks: once aborted, the evaluation stops and resolves with `undefined`. */
  readonly signal?: AbortSignal;
  /** Called after each chunk with the images done so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * @mnist/models' `evaluate`, one chunk at a time, so that a stop request is noticed between chunks and
 * progress can be reported. Chunks are sized to take about {@link CHUNK_TARGET_MS} on this model and
 * backend (a cnn on the cpu backend gets small ones, an mlp large ones). Before each chunk the event
 * loop gets a turn ({@link yieldToEventLoop}): without it a signal would not be seen until the end.
 * Resolves with `undefined` when stopped before the last chunk.
 */
export async function evaluateInChunks(
  model: MnistModel,
  set: LabelledImages,
  options: EvaluationOptions = {},
): Promise<ChunkedEvaluation | undefined> {
  const started = performance.now();
  const predictions = new Uint8Array(set.count);
  const probabilities = new Float32Array(set.count * CLASSES);
  let lossSum = 0;
  let size = firstChunkSize(model);
  let start = 0;
  while (start < set.count) {
    await yieldToEventLoop();
    if (options.signal?.aborted) return undefined;
    const end = Math.min(set.count, start + size);
    const chunk: LabelledImages = {
      count: end - start,
      images: set.images.subarray(start * PIXELS, end * PIXELS),
      labels: set.labels.subarray(start, end),
    };
    const chunkStarted = performance.now();
    const result = await evaluate(model, chunk, { probabilities: true });
    const elapsed = performance.now() - chunkStarted;
    predictions.set(result.predictions, start);
    if (result.probabilities !== undefined) probabilities.set(result.probabilities, start * CLASSES);
    lossSum += result.loss * result.count;
    options.onProgress?.(end, set.count);
    start = end;
    size = nextChunkSize(size, elapsed);
  }
  return {
    loss: lossSum / set.count,
    predictions,
    probabilities,
    count: set.count,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Evaluates `model` on `test` (in chunks, see {@link evaluateInChunks}), keeping every image's probabilities
 * (at the model's temperature) for the mistakes' confidences and the reliability diagram, and turns it all into
 * the `evaluation` event ({@link evaluationEvent}, pure). Resolves with `undefined` when stopped through
 * `options.signal`.
 */
export async function evaluateModel(
  model: MnistModel,
  modelName: string,
  test: LabelledImages,
  classNames: readonly string[],
  options: EvaluationOptions = {},
): Promise<EvaluationEvent | undefined> {
  const result = await evaluateInChunks(model, test, options);
  if (result === undefined) return undefined;
  return evaluationEvent({
    model: modelName,
    labels: test.labels,
    predictions: result.predictions,
    loss: result.loss,
    seconds: result.seconds,
    classNames,
    probabilities: result.probabilities,
    temperature: model.temperature ?? 1,
  });
}
