const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Gives the event loop one full turn, so that signal handlers and timers run. tfjs's cpu and wasm
 * backends resolve their promises at once, and a chain of resolved promises never lets the loop turn.
 * Two immediates: the first may run in the current turn's check phase, before the poll phase where
 * signals are delivered; the second runs after it.
 */
export async function yieldToEventLoop(): Promise<void> {
  await immediate();
  await immediate();
}
