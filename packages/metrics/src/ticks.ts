import { MetricsError } from './errors';
import { describe } from './labels';

/** A tick spacing `multiplier × 10^power`, kept apart so tick values can be computed without drift. */
interface Step {
  readonly multiplier: 1 | 2 | 5 | 10;
  readonly power: number;
}

/**
 * The "nice" spacing (1, 2 or 5 × a power of ten) that gives about `count` intervals over
 * `min .. max`. Of the candidates, it picks the one closest to the raw spacing on a log scale.
 *
 * @returns The spacing, > 0; 0 when `min === max` or `count < 1`.
 * @throws {@link MetricsError} `INVALID_ARGUMENT` for a non-finite bound or count.
 */
export function tickStep(min: number, max: number, count = 5): number {
  const step = niceStep(min, max, count);
  return step === undefined ? 0 : stepValue(step);
}

/**
 * Evenly spaced round values within `min .. max` for an axis: multiples of {@link tickStep}, about
 * `count` of them (the exact number depends on where the round values fall). Values are exact
 * decimals (0.1 + 0.2 drift never shows: you get `0.3`, not `0.30000000000000004`).
 *
 * @example
 * ```ts
 * niceTicks(0, 1, 5);        // [0, 0.2, 0.4, 0.6, 0.8, 1]
 * niceTicks(0.013, 2.47, 4); // [0.5, 1, 1.5, 2]
 * niceTicks(3, 3);           // [3]
 * ```
 *
 * @param min - Lower end of the data (swapped with `max` if larger).
 * @param max - Upper end of the data.
 * @param count - Desired number of intervals, roughly. Default 5; below 1 gives `[]`.
 * @throws {@link MetricsError} `INVALID_ARGUMENT` for a non-finite bound or count.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  assertFinite(min, max, count);
  const [low, high] = min <= max ? [min, max] : [max, min];
  const step = niceStep(low, high, count);
  if (step === undefined) return count >= 1 ? [low] : [];
  // Small tolerance so a bound that is a multiple of the step, up to rounding, still gets its tick.
  const first = Math.ceil(low / stepValue(step) - 1e-9);
  const last = Math.floor(high / stepValue(step) + 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(tickValue(i, step));
  return ticks;
}

/**
 * `min .. max` widened outwards to multiples of {@link tickStep}, so an axis starts and ends on a tick.
 *
 * @example
 * ```ts
 * niceDomain(0.013, 2.47, 4); // [0, 2.5]
 * ```
 */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  assertFinite(min, max, count);
  const [low, high] = min <= max ? [min, max] : [max, min];
  const step = niceStep(low, high, count);
  if (step === undefined) return [low, high];
  const size = stepValue(step);
  return [tickValue(Math.floor(low / size + 1e-9), step), tickValue(Math.ceil(high / size - 1e-9), step)];
}

/**
 * A tick label with just enough decimals for the spacing (`formatTick(0.30000000000000004, 0.1)` is
 * `'0.3'`, `formatTick(2, 0.5)` is `'2.0'`).
 *
 * @param value - The tick value.
 * @param step - The spacing between ticks, from {@link tickStep}.
 */
export function formatTick(value: number, step: number): string {
  const decimals = step > 0 && Number.isFinite(step) ? Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) : 0;
  const text = value.toFixed(Math.min(decimals, 100));
  // toFixed keeps the sign of tiny negatives: "-0.0" is noise on an axis.
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

function assertFinite(min: number, max: number, count: number): void {
  for (const [name, value] of [
    ['min', min],
    ['max', max],
    ['count', count],
  ] as const) {
    if (!Number.isFinite(value)) {
      throw new MetricsError('INVALID_ARGUMENT', `${name} must be a finite number, got ${describe(value)}.`);
    }
  }
}

function niceStep(min: number, max: number, count: number): Step | undefined {
  assertFinite(min, max, count);
  const span = Math.abs(max - min);
  if (span === 0 || count < 1) return undefined;
  const raw = span / count;
  let power = Math.floor(Math.log10(raw));
  const ratio = raw / 10 ** power;
  // Thresholds are the geometric means of neighbouring candidates: √2 between 1 and 2, √10 between
  // 2 and 5, √50 between 5 and 10.
  let multiplier: Step['multiplier'] =
    ratio >= Math.sqrt(50) ? 10 : ratio >= Math.sqrt(10) ? 5 : ratio >= Math.SQRT2 ? 2 : 1;
  if (multiplier === 10) {
    multiplier = 1;
    power += 1;
  }
  return { multiplier, power };
}

function stepValue({ multiplier, power }: Step): number {
  return power >= 0 ? multiplier * 10 ** power : multiplier / 10 ** -power;
}

/** `index × step`, computed as an integer divided by a power of ten: the double nearest the decimal. */
function tickValue(index: number, { multiplier, power }: Step): number {
  const value = power >= 0 ? index * multiplier * 10 ** power : (index * multiplier) / 10 ** -power;
  return value === 0 ? 0 : value; // no -0
}
