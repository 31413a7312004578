import { throttleBatches } from '../events/throttle';
import type { EventSink } from '../events/types';

/** Batch events per second at most in `--json` output (the last batch of each epoch always appears). */
export const JSON_BATCH_INTERVAL_MS = 250;

/**
 * `--json`: every event as one line of JSON on `write`, batch progress at a bounded rate.
 * The shapes are the {@link RunEvent} types, documented in the README.
 */
export function createJsonPrinter(write: (text: string) => void): EventSink {
  return throttleBatches((event) => write(`${JSON.stringify(event)}\n`), JSON_BATCH_INTERVAL_MS);
}
