import { MetricsError } from './errors';

/**
 * Class labels, one per sample: a plain `number[]` or any numeric typed array (`Uint8Array` from
 * MNIST label files, `Int32Array` from `argMax(...).dataSync()`, `Float32Array`, ...). Every value must
 * be a whole number in `0 .. numClasses - 1`.
 */
export type LabelArray = ArrayLike<number>;

/** Throws unless `value` is a number[] or a numeric typed array. */
export function assertNumericArray(value: unknown, argument: string): asserts value is ArrayLike<number> {
  if (Array.isArray(value)) return;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    if (value instanceof BigInt64Array || value instanceof BigUint64Array) {
      throw new MetricsError(
        'INVALID_ARGUMENT',
        `${argument} is a ${value.constructor.name}; pass numbers (e.g. Int32Array.from(values, Number)).`,
      );
    }
    return;
  }
  throw new MetricsError(
    'INVALID_ARGUMENT',
    `${argument} must be an array or a typed array of numbers, got ${describe(value)}.`,
  );
}

/** Throws unless both label arrays are arrays of the same length. */
export function assertSameLength(yTrue: unknown, yPred: unknown): asserts yTrue is LabelArray {
  assertNumericArray(yTrue, 'yTrue');
  assertNumericArray(yPred, 'yPred');
  if (yTrue.length !== yPred.length) {
    throw new MetricsError(
      'LENGTH_MISMATCH',
      `yTrue has ${yTrue.length} labels but yPred has ${yPred.length}; pass one prediction per sample.`,
    );
  }
}

/** Most classes supported: the k × k count table must stay allocatable (2^15 classes is 8 GiB of Float64). */
export const MAX_CLASSES = 32768;

/** Throws unless `numClasses` is a whole number of at least 1 (`what` names it in the message). */
export function assertNumClasses(numClasses: unknown, what = 'numClasses'): asserts numClasses is number {
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `${what} must be a whole number >= 1, got ${describe(numClasses)}.`,
    );
  }
  // The k×k count matrix must stay allocatable; 2^15 classes is already 8 GiB of Float64.
  if (numClasses > 32768) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `${what} is ${numClasses}; at most 32768 classes are supported.`,
    );
  }
}

/**
 * The error for `labels[index]` not being a valid class: not a whole number, or outside the range.
 * `numClasses` undefined means the range was being inferred (only negatives are out of range).
 */
export function labelError(
  argument: string,
  index: number,
  value: unknown,
  numClasses?: number,
): MetricsError {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return new MetricsError(
      'NON_INTEGER_LABEL',
      `${argument}[${index}] is ${describe(value)}, not a whole-number class label. ` +
        'Pass class indices (e.g. argMax of the probabilities), not probabilities or names.',
    );
  }
  const range =
    numClasses === undefined
      ? `labels must be whole numbers from 0 to ${MAX_CLASSES - 1}`
      : `the classes are 0..${numClasses - 1}`;
  const hint =
    numClasses !== undefined && value >= numClasses
      ? ` If class ${value} exists, pass numClasses >= ${value + 1}; otherwise fix the labels.`
      : '';
  return new MetricsError(
    'LABEL_OUT_OF_RANGE',
    `${argument}[${index}] is ${value}, outside the class range: ${range}.${hint}`,
  );
}

/**
 * The number of classes implied by the labels: largest label + 1 over both arrays.
 * Validates every label on the way (whole number from 0 to MAX_CLASSES - 1).
 */
export function inferNumClasses(yTrue: LabelArray, yPred: LabelArray): number {
  let max = 0;
  for (const [argument, labels] of [
    ['yTrue', yTrue],
    ['yPred', yPred],
  ] as const) {
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i] as number;
      // `>>> 0` maps every non-uint32 value (negative, fractional, NaN, non-number) to something else.
      if (label >>> 0 !== label || label >= MAX_CLASSES) throw labelError(argument, i, label);
      if (label > max) max = label;
    }
  }
  return max + 1;
}

/** Short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return `${typeof value} ${String(value)}`;
}
