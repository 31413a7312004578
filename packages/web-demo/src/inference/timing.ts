import type { InferenceTiming } from '../components/ModelBar';

/** How many recent timings the median covers. */
export const TIMING_WINDOW = 30;

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Summarises recent inference times. The first call after a backend or model switch includes one-off work
 * (shader compilation on webgl, wasm warm-up), so it is left out of the median once there are later calls.
 */
export function summariseTimings(samples: readonly number[]): InferenceTiming | undefined {
  if (samples.length === 0) return undefined;
  const steady = samples.length > 1 ? samples.slice(1) : samples;
  const recent = steady.slice(-TIMING_WINDOW);
  return { lastMs: samples[samples.length - 1] as number, medianMs: median(recent), count: recent.length };
}

/** Adds a timing, keeping the first (warm-up) sample and the most recent {@link TIMING_WINDOW} after it. */
export function appendTiming(samples: readonly number[], ms: number): number[] {
  if (samples.length === 0) return [ms];
  return [samples[0] as number, ...samples.slice(1).slice(-(TIMING_WINDOW - 1)), ms];
}
