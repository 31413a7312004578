import { heatmapCellColor, heatmapColors, type Rgb } from '@mnist/metrics';

/** How to lay out the confusion-matrix heatmap as text. */
export interface HeatmapTextOptions {
  /** 24-bit colour backgrounds (true) or plain counts with the diagonal in brackets (NO_COLOR, pipes). */
  readonly color: boolean;
  readonly classNames?: readonly string[];
  /** Characters per cell (default: wide enough for the largest count plus brackets). */
  readonly cellWidth?: number;
}

const background = ([r, g, b]: Rgb) => `\u001b[48;2;${r};${g};${b}m`;
const foreground = ([r, g, b]: Rgb) => `\u001b[38;2;${r};${g};${b}m`;
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

/** Characters per cell when the caller does not choose: the largest count plus room for brackets. */
function naturalCellWidth(confusion: readonly (readonly number[])[]): number {
  return Math.max(4, String(Math.max(0, ...confusion.flat())).length + 3);
}

/**
 * The confusion matrix as terminal lines: a header row of predicted classes, one row per true class
 * with the count in each cell, then a legend line. Rows are true classes, columns predicted ones.
 * In colour, cells follow @mnist/metrics' heatmap rule: zeros empty (a dim dot, no fill), mistakes on
 * their own orange scale, correct predictions on a blue one, readable text on each.
 */
export function heatmapLines(
  confusion: readonly (readonly number[])[],
  options: HeatmapTextOptions,
): string[] {
  const n = confusion.length;
  const width = options.cellWidth ?? naturalCellWidth(confusion);
  const name = (i: number) => (options.classNames?.[i] ?? String(i)).slice(0, width - 1);
  const colors = options.color ? heatmapColors(confusion) : undefined;
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
      const cell = colors?.cells[actual]?.[predicted];
      if (cell === undefined) {
        line += centre(actual === predicted ? `[${count}]` : count === 0 ? '·' : String(count));
      } else if (cell.fill === null || cell.text === null) {
        line += `${DIM}${centre('·')}${RESET}`;
      } else {
        line += `${background(cell.fill)}${foreground(cell.text)}${centre(String(count))}${RESET}`;
      }
    }
    lines.push(line);
  }
  if (colors === undefined) lines.push(heatmapLegend(false));
  else {
    const rampWidth = Math.max(4, Math.min(10, 5 + n * width - 50));
    lines.push(...heatmapLegend(true, rampWidth, colors.maxCorrect, colors.maxError));
  }
  return lines;
}

/** A percentage for the legend: "99%", "3.4%", "0.1%". */
function legendPercent(share: number): string {
  const percent = share * 100;
  return `${percent >= 10 || percent === 0 ? Math.round(percent) : percent.toFixed(1)}%`;
}

/**
 * The legend under the heatmap. In colour, two lines: the ramp of correct predictions and the ramp of
 * mistakes, each up to its largest share of the true class, and the dot for none. Without colour, one
 * line saying what the brackets mean.
 */
export function heatmapLegend(color: false): string;
export function heatmapLegend(color: true, rampWidth: number, maxCorrect: number, maxError: number): string[];
export function heatmapLegend(
  color: boolean,
  rampWidth = 10,
  maxCorrect = 1,
  maxError = 1,
): string | string[] {
  if (!color) return '     [n] = correct, · = none; rows: true class, columns: predicted';
  const ramp = (kind: 'correct' | 'error') => {
    let cells = '';
    for (let k = 0; k < rampWidth; k++)
      cells += `${background(heatmapCellColor(kind, (k + 1) / rampWidth).fill)} `;
    return `${cells}${RESET}`;
  };
  return [
    `     ${ramp('correct')} correct: up to ${legendPercent(maxCorrect)} of the true class`,
    `     ${ramp('error')} mistakes: up to ${legendPercent(maxError)} of the true class · ${DIM}·${RESET} none`,
  ];
}
