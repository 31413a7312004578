import { ConfusionMatrix, type ConfusionMatrixOptions, confusionMatrix } from './confusion-matrix';
import { MetricsError } from './errors';
import { describe, type LabelArray } from './labels';
import { formatFixed, padLeft } from './python-format';

/** Options of {@link classificationReport}, named after scikit-learn's. */
export interface ClassificationReportOptions {
  /** Decimals of precision, recall and F1 (scikit-learn `digits`). Default 2. */
  digits?: number;
  /** Row labels, one per class (scikit-learn `target_names`). Default: the matrix's class names. */
  targetNames?: readonly string[];
}

const HEADERS = ['precision', 'recall', 'f1-score', 'support'] as const;
const COLUMN_WIDTH = 9;
const LONGEST_AVERAGE_LABEL = 'weighted avg';

/**
 * The text of scikit-learn's `classification_report(y_true, y_pred, labels=range(k))`, character for
 * character: one row per class with precision, recall, F1 and support, then the accuracy, macro and
 * weighted averages. Numbers are rounded half-to-even like Python's `format`.
 *
 * Two quirks of scikit-learn are kept for byte-for-byte parity: the `accuracy` row becomes a
 * `micro avg` row (same value in all three columns) when some class occurs neither in the truth nor in
 * the predictions; and when no sample at all is classified correctly, supports print as floats
 * (`2.0`), because scikit-learn then counts them in a float array.
 *
 * @example
 * ```ts
 * console.log(classificationReport([0, 1, 2, 2], [0, 2, 2, 2], { classNames: ['a', 'b', 'c'] }));
 * //               precision    recall  f1-score   support
 * //
 * //            a       1.00      1.00      1.00         1
 * //            b       0.00      0.00      0.00         1
 * //            c       0.67      1.00      0.80         2
 * //
 * //     accuracy                           0.75         4
 * //    macro avg       0.56      0.67      0.60         4
 * // weighted avg       0.58      0.75      0.65         4
 * ```
 *
 * @param matrix - A confusion matrix (its `zeroDivision` applies).
 * @param options - Digits and row labels.
 * @returns The report; it ends with a newline.
 * @throws {@link MetricsError} `INVALID_ARGUMENT` for bad digits or a wrong number of target names.
 */
export function classificationReport(matrix: ConfusionMatrix, options?: ClassificationReportOptions): string;
/**
 * Same report, straight from labels: {@link confusionMatrix} then the report.
 *
 * @param yTrue - True class per sample.
 * @param yPred - Predicted class per sample.
 * @param options - Confusion-matrix options plus report options.
 */
export function classificationReport(
  yTrue: LabelArray,
  yPred: LabelArray,
  options?: ConfusionMatrixOptions & ClassificationReportOptions,
): string;
export function classificationReport(
  first: ConfusionMatrix | LabelArray,
  second?: LabelArray | ClassificationReportOptions,
  third?: ConfusionMatrixOptions & ClassificationReportOptions,
): string {
  if (first instanceof ConfusionMatrix) {
    return formatReport(first, (second as ClassificationReportOptions | undefined) ?? {});
  }
  const options = third ?? {};
  return formatReport(confusionMatrix(first, second as LabelArray, options), options);
}

function formatReport(matrix: ConfusionMatrix, options: ClassificationReportOptions): string {
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `digits must be a whole number from 0 to 100, got ${describe(digits)}.`,
    );
  }
  const names = options.targetNames ?? matrix.classNames;
  if (names.length !== matrix.numClasses) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `targetNames has ${names.length} names for ${matrix.numClasses} classes; give one per class.`,
    );
  }

  const nameWidth = Math.max(...names.map((name) => [...String(name)].length));
  const width = Math.max(nameWidth, LONGEST_AVERAGE_LABEL.length, digits);
  const number = (value: number): string => ` ${padLeft(formatFixed(value, digits), COLUMN_WIDTH)}`;
  const supportText = matrix.correct === 0 ? (value: number) => `${value}.0` : String;
  const integer = (value: number): string => ` ${padLeft(supportText(value), COLUMN_WIDTH)}`;
  const blank = ` ${' '.repeat(COLUMN_WIDTH)}`;
  const row = (label: string, precision: number, recall: number, f1: number, support: number): string =>
    `${padLeft(label, width)} ${number(precision)}${number(recall)}${number(f1)}${integer(support)}\n`;

  let report = `${' '.repeat(width)} ${HEADERS.map((header) => ` ${padLeft(header, COLUMN_WIDTH)}`).join('')}\n\n`;
  for (const c of matrix.classes)
    report += row(String(names[c.index]), c.precision, c.recall, c.f1, c.support);
  report += '\n';

  // scikit-learn's micro average: precision = recall = accuracy here, and F1 = 2·a·a / (a + a) computed
  // the same way, so the printed value matches to the last bit.
  const a = matrix.accuracy;
  const microF1 = a === 0 ? 0 : (2 * a * a) / (a + a);
  const someClassAbsent = matrix.classes.some((c) => c.support === 0 && c.predicted === 0);
  report += someClassAbsent
    ? row('micro avg', a, a, microF1, matrix.total)
    : `${padLeft('accuracy', width)} ${blank}${blank}${number(microF1)}${integer(matrix.total)}\n`;
  const { macroAvg, weightedAvg } = matrix;
  report += row('macro avg', macroAvg.precision, macroAvg.recall, macroAvg.f1, macroAvg.support);
  report += row(
    LONGEST_AVERAGE_LABEL,
    weightedAvg.precision,
    weightedAvg.recall,
    weightedAvg.f1,
    weightedAvg.support,
  );
  return report;
}
