import { MetricsError } from './errors';
import { describe, type LabelArray } from './labels';
import { checkedLabel, flattenScores, probabilityError, type ScoreMatrix } from './probabilities';

/** Options of {@link reliabilityDiagram}, {@link expectedCalibrationError} and {@link maxCalibrationError}. */
export interface CalibrationOptions {
  /** Number of equal-width confidence bins over [0, 1]. Default 15 (Guo et al. 2017). */
  bins?: number;
}

/** One confidence bin of a reliability diagram: the samples whose top probability fell in `(lower, upper]`. */
export interface CalibrationBin {
  /** Lower edge (exclusive; the first bin also takes confidence exactly 0). */
  lower: number;
  /** Upper edge (inclusive). */
  upper: number;
  /** Samples in the bin. */
  count: number;
  /** Mean top probability of its samples; null when the bin is empty. */
  confidence: number | null;
  /** Fraction of its samples whose top class is the true one; null when the bin is empty. */
  accuracy: number | null;
}

/** A reliability diagram and the calibration errors it gives. */
export interface ReliabilityDiagram {
  /** The bins, lowest confidence first. */
  bins: CalibrationBin[];
  /**
   * Expected calibration error: Σ over bins of (count / n) · |accuracy − confidence|. 0 for a perfectly
   * calibrated model; the gap, on average, between how sure the model says it is and how often it is right.
   */
  ece: number;
  /** Maximum calibration error: the largest |accuracy − confidence| over the non-empty bins. */
  mce: number;
  /** Samples. */
  count: number;
  /** Fraction of samples whose top class is the true one. */
  accuracy: number;
  /** Mean top probability over all samples. Above `accuracy`: over-confident; below: under-confident. */
  confidence: number;
}

/**
 * The reliability diagram of predicted class probabilities, with the expected and maximum calibration errors, as
 * defined by Naeini et al. (2015) and Guo et al., "On Calibration of Modern Neural Networks" (2017):
 *
 * 1. each sample's prediction is its highest-probability class (the lowest index on ties, as `argmax` does) and
 *    its confidence is that probability;
 * 2. samples go into `bins` equal-width bins `(lower, upper]` with edges `i / bins` computed as NumPy's
 *    `linspace(0, 1, bins + 1)` does (so a confidence on an edge lands where NumPy's reference puts it);
 * 3. per bin, the mean confidence and the accuracy; ECE weighs their gaps by the bin's share of samples, MCE takes
 *    the largest gap.
 *
 * The probabilities are read as given (not renormalised): pass what the model's user sees.
 *
 * @param probabilities - n × k probabilities in `[0, 1]` (flat row-major or one row per sample).
 * @param yTrue - True class per sample, whole numbers in `0 .. k - 1`.
 * @throws {@link MetricsError} `EMPTY_INPUT`, `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `NON_INTEGER_LABEL`,
 *   `INVALID_PROBABILITY`, `INVALID_ARGUMENT`.
 */
export function reliabilityDiagram(
  probabilities: ScoreMatrix,
  yTrue: LabelArray,
  options: CalibrationOptions = {},
): ReliabilityDiagram {
  const binCount = options.bins ?? 15;
  if (typeof binCount !== 'number' || !Number.isInteger(binCount) || binCount < 1 || binCount > 1e6) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `bins must be a whole number from 1 to 1e6, got ${describe(binCount)}.`,
    );
  }
  const { values, numClasses } = flattenScores(probabilities, yTrue);
  const n = yTrue.length;
  // NumPy's linspace: i * step, the last edge exactly 1.
  const step = 1 / binCount;
  const edges = Float64Array.from({ length: binCount + 1 }, (_, i) => (i === binCount ? 1 : i * step));
  const counts = new Float64Array(binCount);
  const confidenceSums = new Float64Array(binCount);
  const correctCounts = new Float64Array(binCount);
  let totalConfidence = 0;
  let totalCorrect = 0;
  for (let i = 0; i < n; i++) {
    const label = checkedLabel(yTrue, i, numClasses);
    const offset = i * numClasses;
    let best = 0;
    let confidence = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < numClasses; c++) {
      const p = values[offset + c] as number;
      if (!(p >= 0 && p <= 1)) throw probabilityError(offset + c, numClasses, p);
      if (p > confidence) {
        confidence = p;
        best = c;
      }
    }
    // Guess from the value, then settle against the exact edges: lower < confidence <= upper.
    let bin = Math.min(binCount - 1, Math.max(0, Math.ceil(confidence * binCount) - 1));
    while (bin > 0 && confidence <= (edges[bin] as number)) bin--;
    while (bin < binCount - 1 && confidence > (edges[bin + 1] as number)) bin++;
    const correct = best === label ? 1 : 0;
    counts[bin] = (counts[bin] as number) + 1;
    confidenceSums[bin] = (confidenceSums[bin] as number) + confidence;
    correctCounts[bin] = (correctCounts[bin] as number) + correct;
    totalConfidence += confidence;
    totalCorrect += correct;
  }
  let ece = 0;
  let mce = 0;
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < binCount; b++) {
    const count = counts[b] as number;
    const bin: CalibrationBin = {
      lower: edges[b] as number,
      upper: edges[b + 1] as number,
      count,
      confidence: null,
      accuracy: null,
    };
    if (count > 0) {
      const confidence = (confidenceSums[b] as number) / count;
      const accuracy = (correctCounts[b] as number) / count;
      const gap = Math.abs(accuracy - confidence);
      ece += gap * (count / n);
      mce = Math.max(mce, gap);
      bin.confidence = confidence;
      bin.accuracy = accuracy;
    }
    bins.push(bin);
  }
  return { bins, ece, mce, count: n, accuracy: totalCorrect / n, confidence: totalConfidence / n };
}

/** Expected calibration error (equal-width bins); see {@link reliabilityDiagram}. */
export function expectedCalibrationError(
  probabilities: ScoreMatrix,
  yTrue: LabelArray,
  options: CalibrationOptions = {},
): number {
  return reliabilityDiagram(probabilities, yTrue, options).ece;
}

/** Maximum calibration error (equal-width bins); see {@link reliabilityDiagram}. */
export function maxCalibrationError(
  probabilities: ScoreMatrix,
  yTrue: LabelArray,
  options: CalibrationOptions = {},
): number {
  return reliabilityDiagram(probabilities, yTrue, options).mce;
}
