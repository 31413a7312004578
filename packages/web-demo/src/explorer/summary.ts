import {
  type ConfusedPair,
  confusionMatrix,
  type ReliabilityDiagram,
  reliabilityDiagram,
} from '@mnist/metrics';
import type { ReportRow } from '../components/ClassReport';

/** Everything the explorer shows about one evaluation run (computed by @mnist/metrics). */
export interface ExplorerSummary {
  accuracy: number;
  /** Row-major k×k counts: `counts[t * k + p]`. */
  counts: ArrayLike<number>;
  /** Per-class precision, recall, F1, support. */
  rows: ReportRow[];
  /** Macro and weighted averages. */
  averages: ReportRow[];
  /** The most frequent mistakes, largest first. */
  mostConfused: ConfusedPair[];
  /** How well the confidence matches the accuracy, when the class probabilities were given. */
  calibration?: ReliabilityDiagram;
}

/** Confidence bins of the reliability diagram: ten, so each bar still holds enough images at 500. */
export const CALIBRATION_BINS = 10;

/**
 * Confusion matrix and per-class report of true vs predicted labels; with the class probabilities
 * (`labels.length × classes`), the reliability diagram too.
 */
export function summarise(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classNames: readonly string[],
  probabilities?: Float32Array,
): ExplorerSummary {
  const cm = confusionMatrix(labels, predicted, { numClasses: classNames.length, classNames });
  return {
    accuracy: cm.accuracy,
    counts: cm.counts,
    rows: cm.classes.map((c) => ({
      name: c.name,
      precision: c.precision,
      recall: c.recall,
      f1: c.f1,
      support: c.support,
    })),
    averages: [
      { name: 'macro avg', ...cm.macroAvg },
      { name: 'weighted avg', ...cm.weightedAvg },
    ],
    mostConfused: cm.mostConfused(5),
    ...(probabilities && {
      calibration: reliabilityDiagram(probabilities, labels, { bins: CALIBRATION_BINS }),
    }),
  };
}
