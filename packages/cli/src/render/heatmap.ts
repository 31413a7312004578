import { viridis } from '@mnist/metrics';

/** How to lay out the confusion-matrix heatmap as text. */
export interface HeatmapTextOptions {
  /** 24-bit colour backgrounds (true) or plain counts with the diagonal in brackets (NO_COLOR, pipes). */
  readonly color: boolean;
  readonly classNames?: readonly string[];
  /** Characters per cell (default: wide enough for the largest count plus brackets). */
  readonly cellWidth?: number;
}

/** The share of its true class (row-normalised) for every cell of the matrix. */
export function rowShares(confusion: readonly (readonly number[])[]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count) => (total > 0 ? count / total : 0));
  });
}

/** Colour of a cell: viridis on the square root of the row share, so that small mistakes still show. */
export function cellColor(share: number): [number, number, number] {
  const [r, g, b] = viridis(Math.sqrt(Math.min(1, Math.max(0, share))));
  return [Math.round(r), Math.round(g), Math.round(b)];
}

const bg = ([r, g, b]: readonly number[]) => `\u001b[48;2;${r};${g};${b}m`;
const fgFor = ([r = 0, g = 0, b = 0]: readonly number[]) =>
  0.299 * r + 0.587 * g + 0.114 * b > 140 ? '\u001b[38;2;0;0;0m' : '\u001b[38;2;255;255;255m';
const RESET = '\u001b[0m';

/** The width in characters that {@link heatmapLines} will use with these options. */
export function heatmapWidth(confusion: readonly (readonly number[])[], options: HeatmapTextOptions): number {
  return 5 + confusion.length * resolvedCellWidth(confusion, options);
}

function resolvedCellWidth(confusion: readonly (readonly number[])[], options: HeatmapTextOptions): number {
  const largest = Math.max(0, ...confusion.flat());
  return options.cellWidth ?? Math.max(4, String(largest).length + 3);
}

/**
 * The confusion matrix as terminal lines: a header row of predicted classes, one row per true class
 * with the count in each cell, then a legend line. Rows are true classes, columns predicted ones.
 */
export function heatmapLines(
  confusion: readonly (readonly number[])[],
  options: HeatmapTextOptions,
): string[] {
  const n = confusion.length;
  const width = resolvedCellWidth(confusion, options);
  const name = (i: number) => (options.classNames?.[i] ?? String(i)).slice(0, width - 1);
  const shares = rowShares(confusion);
  const centre = (text: string) => {
    const left = Math.floor((width - text.length) / 2);
    return ' '.repeat(Math.max(0, left)) + text + ' '.repeat(Math.max(0, width - text.length - left));
  };
  const lines = [
    `${'true'.padEnd(4)}↓${Array.from({ length: n }, (_, i) => centre(name(i))).join('')}  ← predicted`,
  ];
  for (let actual = 0; actual < n; actual++) {
    let line = `${String(actual).padStart(3)}  `;
    const row = confusion[actual] ?? [];
    for (let predicted = 0; predicted < n; predicted++) {
      const count = row[predicted] ?? 0;
      if (options.color) {
        const colour = cellColor(shares[actual]?.[predicted] ?? 0);
        line += `${bg(colour)}${fgFor(colour)}${centre(String(count))}${RESET}`;
      } else {
        line += centre(actual === predicted ? `[${count}]` : count === 0 ? '·' : String(count));
      }
    }
    lines.push(line);
  }
  lines.push(heatmapLegend(options.color, Math.min(30, n * width)));
  return lines;
}

/** The legend under the heatmap: a colour ramp from 0% to 100% of the true class, or what the brackets mean. */
export function heatmapLegend(color: boolean, rampWidth = 30): string {
  if (!color) return '     [n] = correct, · = none; rows: true class, columns: predicted';
  let ramp = '';
  for (let k = 0; k < rampWidth; k++) ramp += `${bg(cellColor(k / (rampWidth - 1)))} `;
  return `     0% ${ramp}${RESET} 100% of the true class`;
}
