/**
 * `@mnist/metrics`: every number about a classifier, exact and fast, in dependency-free TypeScript.
 *
 * - Confusion matrix, one-shot ({@link confusionMatrix}) or streaming ({@link ConfusionMatrixAccumulator}),
 *   with accuracy, per-class precision/recall/F1/support, macro and weighted averages, normalised
 *   matrices and the most confused pairs, matching scikit-learn.
 * - {@link classificationReport}: scikit-learn's text report, character for character.
 * - From probabilities: {@link topKAccuracy}, {@link logLoss}; calibration ({@link reliabilityDiagram},
 *   {@link expectedCalibrationError}, {@link maxCalibrationError}).
 * - Chart helpers: colour ramps ({@link viridis}, {@link diverging}, {@link blues}, {@link oranges}),
 *   {@link niceTicks}, {@link downsample}, {@link bucketize}, {@link sparkline}.
 * - {@link heatmapColors}: the one colour rule for confusion-matrix heatmaps (empty zeros, mistakes and
 *   correct predictions each on their own scale, readable text).
 *
 * @packageDocumentation
 */
export { ConfusionMatrixAccumulator } from './accumulator';
export {
  type CalibrationBin,
  type CalibrationOptions,
  expectedCalibrationError,
  maxCalibrationError,
  type ReliabilityDiagram,
  reliabilityDiagram,
} from './calibration';
export {
  blues,
  type ColorRamp,
  colorAt,
  contrastingTextColor,
  diverging,
  oranges,
  type Rgb,
  rgbToHex,
  viridis,
} from './colors';
export {
  type AveragedMetrics,
  type ClassMetrics,
  type ConfusedPair,
  ConfusionMatrix,
  type ConfusionMatrixJSON,
  type ConfusionMatrixOptions,
  confusionMatrix,
  type MetricWarning,
  type NormalizeMode,
  type ZeroDivision,
} from './confusion-matrix';
export { type Bucket, bucketize, downsample, type Point, type Series } from './downsample';
export { MetricsError, type MetricsErrorCode } from './errors';
export {
  HEATMAP_RAMPS,
  type HeatmapCellKind,
  type HeatmapCellStyle,
  type HeatmapColorOptions,
  type HeatmapColors,
  type HeatmapValue,
  heatmapCellColor,
  heatmapColors,
} from './heatmap-colors';
export type { LabelArray } from './labels';
export { type LogLossOptions, logLoss, type ScoreMatrix, topKAccuracy } from './probabilities';
export { formatFixed } from './python-format';
export { type ClassificationReportOptions, classificationReport } from './report';
export { SPARK_BLOCKS, type SparklineRange, sparkline } from './sparkline';
export { formatTick, niceDomain, niceTicks, tickStep } from './ticks';
