// The workspace's one way for a long loop to let the rest of the program run.

type Immediate = (callback: () => void) => unknown;

/**
 * Gives the event loop one full turn, so that timers, I/O, signal handlers and UI events (and an
 * `AbortController.abort()` called from one of them) get in during a long loop. Awaiting promises that are already
 * resolved is not enough: a chain of them runs as microtasks and never lets the loop turn (tfjs's cpu and wasm
 * backends resolve at once).
 *
 * - Node: two `setImmediate`s. The first may run in the current turn's check phase, before the poll phase where I/O
 *   and signals are delivered; the second runs after that poll phase.
 * - Browsers and workers: one `MessageChannel` message, a task of its own without `setTimeout`'s 4 ms clamp.
 * - Elsewhere: `setTimeout(0)`.
 */
export async function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (immediate !== undefined) {
    await new Promise<void>((resolve) => immediate(resolve));
    await new Promise<void>((resolve) => immediate(resolve));
    return;
  }
  if (typeof MessageChannel !== 'undefined') {
    await new Promise<void>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(undefined);
    });
    return;
  }
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}
