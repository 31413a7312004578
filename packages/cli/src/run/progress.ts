/** Seconds between two progress lines of a slow step (evaluation, prediction) on stderr. */
export const PROGRESS_INTERVAL_MS = 3000;

/**
 * Passes a progress line on at most once every `intervalMs` (counting from creation), so that long steps
 * say how far they are every few seconds without a line per image. The text is built only when used.
 */
export function everyFewSeconds(
  report: (text: string) => void,
  intervalMs = PROGRESS_INTERVAL_MS,
  now: () => number = performance.now.bind(performance),
): (text: () => string) => void {
  let last = now();
  return (text) => {
    const t = now();
    if (t - last < intervalMs) return;
    last = t;
    report(text());
  };
}
