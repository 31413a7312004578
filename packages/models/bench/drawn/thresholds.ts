// Choosing the verdict thresholds by measurement: the pair (minConfidence, minMargin) that keeps the most answers
// confident while the confident ones stay right often enough.
import { verdictFor, type VerdictThresholds } from '../../src/index.js';

/** How a thresholds pair does on some labelled probabilities. */
export interface VerdictStats {
  thresholds: VerdictThresholds;
  /** Fraction of answers called confident. */
  coverage: number;
  /** Error rate among the confident answers. */
  confidentError: number;
  /** Fraction of all wrong top-1 answers that were flagged uncertain. */
  errorsFlagged: number;
  /** Among uncertain answers, how often the true digit is one of the two offered. */
  uncertainTopTwo: number;
}

/** Verdict statistics of one thresholds pair. */
export function verdictStats(
  probabilities: Float32Array,
  labels: Uint8Array,
  thresholds: VerdictThresholds,
): VerdictStats {
  const n = labels.length;
  let confident = 0;
  let confidentWrong = 0;
  let wrong = 0;
  let wrongFlagged = 0;
  let uncertain = 0;
  let uncertainHit = 0;
  for (let i = 0; i < n; i++) {
    const v = verdictFor(probabilities.subarray(i * 10, i * 10 + 10), thresholds);
    const label = labels[i] as number;
    const right = v.label === label;
    if (!right) wrong++;
    if (v.kind === 'confident') {
      confident++;
      if (!right) confidentWrong++;
    } else {
      uncertain++;
      if (!right) wrongFlagged++;
      if (right || v.alternative === label) uncertainHit++;
    }
  }
  return {
    thresholds,
    coverage: confident / n,
    confidentError: confident > 0 ? confidentWrong / confident : 0,
    errorsFlagged: wrong > 0 ? wrongFlagged / wrong : 1,
    uncertainTopTwo: uncertain > 0 ? uncertainHit / uncertain : 1,
  };
}

/**
 * The grid search: every minConfidence in 0.40..0.95 and minMargin in 0..0.80 (steps of 0.05); among the pairs
 * whose confident answers are wrong at most `maxConfidentError` of the time, the one calling the most answers
 * confident (ties: the higher minConfidence).
 */
export function chooseThresholds(
  probabilities: Float32Array,
  labels: Uint8Array,
  maxConfidentError: number,
): VerdictStats {
  let best: VerdictStats | undefined;
  for (let c = 40; c <= 95; c += 5) {
    for (let m = 0; m <= 80; m += 5) {
      const stats = verdictStats(probabilities, labels, { minConfidence: c / 100, minMargin: m / 100 });
      if (stats.confidentError > maxConfidentError) continue;
      // Equal coverage means the same answers called confident: keep the pair with the higher minConfidence,
      // since a margin m already implies a top probability of at least m.
      if (
        best === undefined ||
        stats.coverage > best.coverage ||
        (stats.coverage === best.coverage && stats.thresholds.minConfidence > best.thresholds.minConfidence)
      ) {
        best = stats;
      }
    }
  }
  return best ?? verdictStats(probabilities, labels, { minConfidence: 0.95, minMargin: 0.8 });
}
