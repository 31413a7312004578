// Waiting for a state that announces itself by no event: a file another process writes, a process's state in
// /proc. Where an event or a promise exists, wait on that instead.

/** Options of {@link waitUntil}. */
export interface WaitOptions {
  /** How long to wait before failing, in ms (default 60 s: a generous bound for a busy machine). */
  timeout?: number;
  /** Pause between two checks, in ms (default 10). */
  interval?: number;
}

/**
 * Checks `condition` until it returns a truthy value, and returns that value. Fails after `timeout` ms with an error
 * naming `what` was awaited (`timed out after 60 s waiting for <what>`), or with the condition's own error.
 */
export async function waitUntil<T>(
  what: string,
  condition: () => T | Promise<T>,
  options: WaitOptions = {},
): Promise<NonNullable<T>> {
  const timeout = options.timeout ?? 60_000;
  const interval = options.interval ?? 10;
  const deadline = performance.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (performance.now() >= deadline) {
      throw new Error(`waitUntil: timed out after ${timeout / 1000} s waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
