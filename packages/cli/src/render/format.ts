/** Small, locale-independent number formatting shared by the dashboard, the line printer and the report. */

/** 12345 → "12,345". */
export function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 0.92411 → "92.41%". */
export function formatPercent(fraction: number, digits = 2): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** A loss value with 4 decimals. */
export function formatLoss(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : String(value);
}

/** Seconds as "0.8 s", "12.3 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds - minutes * 60)).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes - hours * 60).padStart(2, '0')} min`;
}

/** An ETA as "m:ss" (or "h:mm:ss"). */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–:––';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${h > 0 ? String(m).padStart(2, '0') : m}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** A throughput as "4,870 samples/s". */
export function formatRate(samplesPerSecond: number): string {
  return `${formatCount(samplesPerSecond)} samples/s`;
}

/**
 * A text progress bar of exactly `width` cells using eighth blocks for sub-cell precision.
 * @param fraction 0..1 (clamped)
 */
export function progressBar(fraction: number, width: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(clamped * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8;
  const partialChar = partial > 0 ? (['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][partial] ?? '') : '';
  return ('█'.repeat(full) + partialChar).padEnd(width, '░').slice(0, width);
}
