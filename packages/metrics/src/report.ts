import { ConfusionMatrix, type ConfusionMatrixOptions, confusionMatrix } from './confusion-matrix';
import { MetricsError } from './errors';
import { describe, type LabelArray } from './labels';
import { codePointLength, formatFixed, padLeft } from './python-format';

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

  let nameWidth = 0;
  for (const name of names) nameWidth = Math.max(nameWidth, codePointLength(String(name)));
  const layout: Layout = {
    width: Math.max(nameWidth, LONGEST_AVERAGE_LABEL.length, digits),
    digits,
    // scikit-learn quirk: with no true positive at all, it counts supports in a float array.
    floatSupport: matrix.correct === 0,
  };

  let report = `${' '.repeat(layout.width)} `;
  for (const header of HEADERS) report += ` ${header.padStart(COLUMN_WIDTH)}`;
  report += '\n\n';
  for (const c of matrix.classes) {
    report += row(layout, String(names[c.index]), c.precision, c.recall, c.f1, c.support);
  }
  report += '\n';

  // scikit-learn's micro average: precision = recall = accuracy here, and F1 = 2·a·a / (a + a) computed
  // the same way, so the printed value matches to the last bit.
  const a = matrix.accuracy;
  const microF1 = a === 0 ? 0 : (2 * a * a) / (a + a);
  const someClassAbsent = matrix.classes.some((c) => c.support === 0 && c.predicted === 0);
  report += someClassAbsent
    ? row(layout, 'micro avg', a, a, microF1, matrix.total)
    : `${padLeft('accuracy', layout.width)} ${BLANK_COLUMN}${BLANK_COLUMN}${score(layout, microF1)}${support(layout, matrix.total)}\n`;
  const { macroAvg, weightedAvg } = matrix;
  report += row(layout, 'macro avg', macroAvg.precision, macroAvg.recall, macroAvg.f1, macroAvg.support);
  report += row(
    layout,
    LONGEST_AVERAGE_LABEL,
    weightedAvg.precision,
    weightedAvg.recall,
    weightedAvg.f1,
    weightedAvg.support,
  );
  return report;
}

/** What every row of one report shares. */
interface Layout {
  /** Width of the label column. */
  readonly width: number;
  /** Decimals of the scores. */
  readonly digits: number;
  /** Print supports as floats (`2.0`), as scikit-learn does when nothing was classified correctly. */
  readonly floatSupport: boolean;
}

const BLANK_COLUMN = ' '.repeat(COLUMN_WIDTH + 1);

/** One line: `{:>{width}s} ` then three ` {:>9.{digits}f}` scores and a ` {:>9}` support. */
function row(
  layout: Layout,
  label: string,
  precision: number,
  recall: number,
  f1: number,
  count: number,
): string {
  return `${padLeft(label, layout.width)} ${score(layout, precision)}${score(layout, recall)}${score(layout, f1)}${support(layout, count)}\n`;
}

function score(layout: Layout, value: number): string {
  return column(formatFixed(value, layout.digits));
}

function support(layout: Layout, count: number): string {
  return column(layout.floatSupport ? `${count}.0` : String(count));
}

/** ` {:>9}` for ASCII text (numbers). */
function column(text: string): string {
  return text.length >= COLUMN_WIDTH ? ` ${text}` : (COLUMN_PADDING[text.length] as string) + text;
}

/** A space then right-alignment padding, by text length: cheaper than padStart in the hot loop. */
const COLUMN_PADDING = Array.from({ length: COLUMN_WIDTH }, (_, length) =>
  ' '.repeat(COLUMN_WIDTH - length + 1),
);
