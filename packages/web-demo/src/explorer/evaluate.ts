import type { MnistSplit } from '@mnist/data';
import type { InferenceEngine } from '../inference/engine';

/** Predictions for the first `count` images of the test split. */
export interface Predictions {
  count: number;
  /** True label of each image. */
  labels: Uint8Array;
  /** Predicted label of each image. */
  predicted: Uint8Array;
  /** Probability of the predicted label. */
  confidence: Float32Array;
  /** Every class's probability, `count × classes` (for the reliability diagram). */
  probabilities: Float32Array;
  /** Wall-clock milliseconds for the whole run. */
  ms: number;
}

/** Images per call: large enough that per-call overhead vanishes, small enough that progress moves smoothly. */
export const EVALUATION_CHUNK = 500;

/** The arg-max and its value for each row of a `rows × classes` probability matrix. */
export function topLabels(
  probabilities: Float32Array,
  classes: number,
): { predicted: Uint8Array; confidence: Float32Array } {
  const rows = Math.floor(probabilities.length / classes);
  const predicted = new Uint8Array(rows);
  const confidence = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestP = probabilities[r * classes] as number;
    for (let c = 1; c < classes; c++) {
      const p = probabilities[r * classes + c] as number;
      if (p > bestP) {
        best = c;
        bestP = p;
      }
    }
    predicted[r] = best;
    confidence[r] = bestP;
  }
  return { predicted, confidence };
}

/**
 * Classifies the first `count` images of `split` in chunks, reporting progress after each chunk and giving the
 * browser a frame in between so the progress bar moves and the page stays responsive.
 *
 * @throws DOMException `AbortError` when `signal` fires between chunks; `ModelChangedError` when the model or backend
 * is switched during the run.
 */
export async function predictTestImages(
  engine: InferenceEngine,
  split: MnistSplit,
  count: number,
  options: { signal?: AbortSignal; onProgress?: (done: number) => void; classes?: number } = {},
): Promise<Predictions> {
  const n = Math.min(count, split.count);
  const classes = options.classes ?? 10;
  const predicted = new Uint8Array(n);
  const confidence = new Float32Array(n);
  const all = new Float32Array(n * classes);
  const start = performance.now();
  // Every chunk must come from the same model on the same backend.
  const version = engine.version;
  for (let from = 0; from < n; from += EVALUATION_CHUNK) {
    options.signal?.throwIfAborted();
    const to = Math.min(n, from + EVALUATION_CHUNK);
    const probabilities = await engine.predictBatch(split.subset(from, to), version);
    all.set(probabilities, from * classes);
    const top = topLabels(probabilities, classes);
    predicted.set(top.predicted, from);
    confidence.set(top.confidence, from);
    options.onProgress?.(to);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return {
    count: n,
    labels: split.labels.slice(0, n),
    predicted,
    confidence,
    probabilities: all,
    ms: performance.now() - start,
  };
}
