import type { EventSink } from './types';

/**
 * Lets batch events through at most once per `intervalMs` (per model and epoch, the last batch of an
 * epoch always passes), so that `--json` and the dashboard see a bounded rate whatever the batch size.
 */
export function throttleBatches(
  sink: EventSink,
  intervalMs: number,
  now: () => number = performance.now.bind(performance),
): EventSink {
  let last = Number.NEGATIVE_INFINITY;
  return (event) => {
    if (event.type === 'batch') {
      const t = now();
      if (event.batch !== event.batches && t - last < intervalMs) return;
      last = t;
    }
    sink(event);
  };
}
