// Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017), on host arrays: one number T
// that softens (T > 1) or sharpens (T < 1) a model's probabilities without changing which class wins.
//
// The logits are taken as the log of each row's normalised probabilities. For a softmax model that is the true
// logits up to a per-row constant, which softmax ignores, so this is exactly Guo et al.'s method. For the
// tutorial's sigmoid models (ten independent sigmoids, normalised to sum 1 by predict) it scales the log of the
// normalised outputs: p_i^(1/T) / Σ_j p_j^(1/T), the same family, fitted the same way.
import { MnistModelError } from '../errors.js';
import { CLASSES } from '../input.js';
import { KERAS_EPSILON } from '../loss.js';

/**
 * The temperatures a model may have (checked by {@link withTemperature}, by `loadModel` and before every use), and
 * the range {@link fitTemperature} searches within. Far outside it a temperature only rounds probabilities to 0
 * and 1 (or to uniform): 1e-45 would divide the logits into ±Infinity.
 */
export const TEMPERATURE_RANGE: Readonly<{ min: number; max: number }> = Object.freeze({
  min: 0.05,
  max: 100,
});

/** Whether `temperature` is a number within {@link TEMPERATURE_RANGE}. */
export function isTemperature(temperature: unknown): temperature is number {
  return (
    typeof temperature === 'number' &&
    temperature >= TEMPERATURE_RANGE.min &&
    temperature <= TEMPERATURE_RANGE.max
  );
}

/** What a temperature must be, for messages. */
export const TEMPERATURE_RULE = `a number from ${TEMPERATURE_RANGE.min} to ${TEMPERATURE_RANGE.max} (1 = unchanged)`;

/** Checks that a temperature is within {@link TEMPERATURE_RANGE} (`what` names where it came from). */
export function checkTemperature(temperature: unknown, what: string): number {
  if (!isTemperature(temperature)) {
    throw new MnistModelError(
      'BAD_INPUT',
      `${what}: a temperature must be ${TEMPERATURE_RULE}; got ${String(temperature)}.`,
    );
  }
  return temperature;
}

/** Log of each row's probabilities after clipping to [ε, 1] (ε = 1e-7, as the loss) and normalising to sum 1. */
export function logProbabilities(probabilities: ArrayLike<number>, classes = CLASSES): Float64Array {
  checkRows(probabilities.length, classes, 'logProbabilities');
  const out = new Float64Array(probabilities.length);
  for (let row = 0; row < probabilities.length; row += classes) {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const p = Math.min(1, Math.max(KERAS_EPSILON, probabilities[row + c] as number));
      out[row + c] = p;
      sum += p;
    }
    for (let c = 0; c < classes; c++) out[row + c] = Math.log((out[row + c] as number) / sum);
  }
  return out;
}

/**
 * Probabilities at temperature `temperature`: each row becomes softmax(log p / T), i.e. p^(1/T) normalised.
 * T = 1 returns the rows normalised and otherwise unchanged; the arg-max never changes.
 */
export function applyTemperature(
  probabilities: ArrayLike<number>,
  temperature: number,
  classes = CLASSES,
): Float32Array {
  checkTemperature(temperature, 'applyTemperature');
  const logits = logProbabilities(probabilities, classes);
  const out = new Float32Array(probabilities.length);
  const beta = 1 / temperature;
  for (let row = 0; row < logits.length; row += classes) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) max = Math.max(max, beta * (logits[row + c] as number));
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(beta * (logits[row + c] as number) - max);
    for (let c = 0; c < classes; c++) out[row + c] = Math.exp(beta * (logits[row + c] as number) - max) / sum;
  }
  return out;
}

/** What {@link fitTemperature} found. */
export interface TemperatureFit {
  /** The temperature minimising the mean negative log-likelihood on the data given. */
  temperature: number;
  /** Mean NLL at T = 1. */
  nllBefore: number;
  /** Mean NLL at the fitted T. */
  nllAfter: number;
  /** Newton steps taken. */
  iterations: number;
}

/**
 * Fits the temperature that minimises the mean negative log-likelihood of `labels` under
 * {@link applyTemperature}(probabilities, T), within {@link TEMPERATURE_RANGE}. The NLL is convex in β = 1/T (a
 * log-sum-exp of lines minus a line), so a safeguarded Newton iteration on β finds the global minimum.
 *
 * Fit on data the model was not trained on (a held-out part of the training set): on its own training data a
 * model looks better calibrated than it is.
 */
export function fitTemperature(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes = CLASSES,
): TemperatureFit {
  checkRows(probabilities.length, classes, 'fitTemperature');
  const n = probabilities.length / classes;
  if (labels.length !== n || n === 0) {
    throw new MnistModelError(
      'BAD_INPUT',
      `fitTemperature: need one label per row of probabilities (${n} rows), got ${labels.length} labels.`,
    );
  }
  for (let i = 0; i < n; i++) {
    const label = labels[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new MnistModelError(
        'BAD_INPUT',
        `fitTemperature: labels[${i}] is ${label}, not a class 0..${classes - 1}.`,
      );
    }
  }
  const logits = logProbabilities(probabilities, classes);
  // Mean NLL and its first two derivatives in β.
  const evaluate = (beta: number) => {
    let nll = 0;
    let gradient = 0;
    let curvature = 0;
    for (let i = 0; i < n; i++) {
      const row = i * classes;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < classes; c++) max = Math.max(max, beta * (logits[row + c] as number));
      let sum = 0;
      let mean = 0;
      let square = 0;
      for (let c = 0; c < classes; c++) {
        const z = logits[row + c] as number;
        const w = Math.exp(beta * z - max);
        sum += w;
        mean += w * z;
        square += w * z * z;
      }
      mean /= sum;
      const target = logits[row + (labels[i] as number)] as number;
      nll += max + Math.log(sum) - beta * target;
      gradient += mean - target;
      curvature += square / sum - mean * mean;
    }
    return { nll: nll / n, gradient: gradient / n, curvature: curvature / n };
  };
  const lo = 1 / TEMPERATURE_RANGE.max;
  const hi = 1 / TEMPERATURE_RANGE.min;
  const before = evaluate(1);
  let beta = 1;
  let current = before;
  let iterations = 0;
  for (; iterations < 100; iterations++) {
    if (Math.abs(current.gradient) < 1e-12) break;
    const newton = current.curvature > 0 ? beta - current.gradient / current.curvature : Number.NaN;
    let next = Number.isFinite(newton) ? Math.min(hi, Math.max(lo, newton)) : current.gradient > 0 ? lo : hi;
    let trial = evaluate(next);
    // Backtrack towards β when the step overshoots (cannot happen near the minimum of a convex function).
    for (let halvings = 0; trial.nll > current.nll && halvings < 50; halvings++) {
      next = (beta + next) / 2;
      trial = evaluate(next);
    }
    if (trial.nll > current.nll || Math.abs(next - beta) < 1e-14 * Math.max(1, beta)) break;
    beta = next;
    current = trial;
  }
  return { temperature: 1 / beta, nllBefore: before.nll, nllAfter: current.nll, iterations };
}

function checkRows(length: number, classes: number, what: string): void {
  if (!Number.isInteger(classes) || classes < 1 || length % classes !== 0) {
    throw new MnistModelError(
      'BAD_INPUT',
      `${what}: expected rows of ${classes} probabilities, got ${length} values.`,
    );
  }
}
