import { blues, type ColorRamp, contrastingTextColor, oranges, type Rgb, rgbToHex } from './colors';
import { MetricsError } from './errors';

/**
 * The one colour rule for confusion-matrix heatmaps (terminal, HTML report, web page), so that every view
 * shows the same thing the same way:
 *
 * - a cell with count 0 is **empty**: no fill, the background shows through;
 * - **mistakes** (off-diagonal cells) are coloured on their own scale, against the largest mistake, so a
 *   handful of errors stands out even next to a diagonal of thousands;
 * - **correct** predictions (the diagonal) are coloured on a second scale, against the largest diagonal cell;
 * - every filled cell comes with a readable text colour for the number drawn on it.
 *
 * Values are shares of the true class (row-normalised, the default; fair when classes differ in size) or raw
 * counts. The two scales use ramps of different hues ({@link blues} for correct, {@link oranges} for mistakes)
 * whose light ends are still a visible tint, so the smallest mistake never reads as empty.
 */

/** What a heatmap cell's colour encodes: its share of the true class (row-normalised) or its count. */
export type HeatmapValue = 'share' | 'count';

/** Which scale a cell is on. */
export type HeatmapCellKind = 'empty' | 'correct' | 'error';

/** How to draw one heatmap cell. Plain data: use `fill`/`text` (RGB) or `background`/`color` (CSS). */
export interface HeatmapCellStyle {
  /** `empty` (count 0), `correct` (diagonal) or `error` (off-diagonal). */
  readonly kind: HeatmapCellKind;
  /** The cell's count. */
  readonly count: number;
  /** The count as a share of its row (the true class), 0..1; 0 for an empty row. */
  readonly share: number;
  /** Position on the cell's own scale, 0..1 (the cell's value over the largest value of its kind); 0 when empty. */
  readonly level: number;
  /** The fill colour, or `null` for an empty cell (draw no fill). */
  readonly fill: Rgb | null;
  /** A readable colour for text on `fill` (black or white), or `null` for an empty cell (use the normal text colour). */
  readonly text: Rgb | null;
  /** `fill` as a CSS colour (`'#rrggbb'`), or `null`. */
  readonly background: string | null;
  /** `text` as a CSS colour (`'#000000'` or `'#ffffff'`), or `null`. */
  readonly color: string | null;
}

/** The styles of every cell of a matrix, and the top of each scale (for legends). */
export interface HeatmapColors {
  /** `cells[trueClass][predictedClass]`. */
  readonly cells: readonly (readonly HeatmapCellStyle[])[];
  /** What the scales measure. */
  readonly value: HeatmapValue;
  /** The largest diagonal value (share or count): the dark end of the correct scale. 0 when there is none. */
  readonly maxCorrect: number;
  /** The largest off-diagonal value: the dark end of the mistakes scale. 0 when there are no mistakes. */
  readonly maxError: number;
}

/** Options of {@link heatmapColors}. */
export interface HeatmapColorOptions {
  /** Colour by share of the true class (default) or by count. */
  readonly value?: HeatmapValue;
}

/** The ramp of each filled kind: light = small, dark = large. */
export const HEATMAP_RAMPS: Readonly<Record<Exclude<HeatmapCellKind, 'empty'>, ColorRamp>> = {
  correct: blues,
  error: oranges,
};

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

/**
 * The style of one filled cell: its colour on the ramp of `kind` at `level` (0..1) and a readable text
 * colour on it. For legends, and for views that colour cells one at a time.
 */
export function heatmapCellColor(
  kind: Exclude<HeatmapCellKind, 'empty'>,
  level: number,
): { fill: Rgb; text: Rgb; background: string; color: '#000000' | '#ffffff' } {
  const fill = HEATMAP_RAMPS[kind](level);
  const color = contrastingTextColor(fill);
  return { fill, text: color === '#000000' ? BLACK : WHITE, background: rgbToHex(fill), color };
}

/**
 * Colours a confusion matrix by the heatmap rule (see the module comment): empty zeros, mistakes on their
 * own scale, the diagonal on another, and readable text on every filled cell.
 *
 * @param counts - `counts[true][predicted]` as rows, or flat row-major (k² values), whole numbers >= 0
 * @throws {@link MetricsError} `INVALID_ARGUMENT` for a table that is not square or holds bad counts
 *
 * @example
 * ```ts
 * const colors = heatmapColors(matrix.rows());
 * const cell = colors.cells[4]![9]!;
 * const style = cell.background === null ? {} : { background: cell.background, color: cell.color };
 * ```
 */
export function heatmapColors(
  counts: ArrayLike<number> | readonly ArrayLike<number>[],
  options: HeatmapColorOptions = {},
): HeatmapColors {
  const value = options.value ?? 'share';
  if (value !== 'share' && value !== 'count') {
    throw new MetricsError('INVALID_ARGUMENT', `value must be 'share' or 'count', got ${String(value)}.`);
  }
  const rows = toRows(counts);
  const k = rows.length;
  const values = rows.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count) => ({ count, share: total > 0 ? count / total : 0 }));
  });
  let maxCorrect = 0;
  let maxError = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const cell = values[t]?.[p];
      if (cell === undefined || cell.count === 0) continue;
      const v = value === 'share' ? cell.share : cell.count;
      if (t === p) maxCorrect = Math.max(maxCorrect, v);
      else maxError = Math.max(maxError, v);
    }
  }
  const cells = values.map((row, t) =>
    row.map(({ count, share }, p): HeatmapCellStyle => {
      if (count === 0) {
        return {
          kind: 'empty',
          count,
          share,
          level: 0,
          fill: null,
          text: null,
          background: null,
          color: null,
        };
      }
      const kind = t === p ? 'correct' : 'error';
      const top = kind === 'correct' ? maxCorrect : maxError;
      const level = top > 0 ? (value === 'share' ? share : count) / top : 0;
      return { kind, count, share, level, ...heatmapCellColor(kind, level) };
    }),
  );
  return { cells, value, maxCorrect, maxError };
}

function toRows(counts: ArrayLike<number> | readonly ArrayLike<number>[]): number[][] {
  const nested = Array.isArray(counts) && counts.length > 0 && typeof counts[0] === 'object';
  const flat = nested ? undefined : Array.from(counts as ArrayLike<number>);
  const k = nested ? counts.length : Math.round(Math.sqrt(flat?.length ?? 0));
  const rows = nested
    ? (counts as readonly ArrayLike<number>[]).map((row) => Array.from(row))
    : Array.from({ length: k }, (_, t) => (flat as number[]).slice(t * k, t * k + k));
  if (!nested && k * k !== (flat as number[]).length) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `counts must form a square k × k table, got ${(flat as number[]).length} values.`,
    );
  }
  rows.forEach((row, t) => {
    if (row.length !== k) {
      throw new MetricsError(
        'INVALID_ARGUMENT',
        `counts has ${k} rows but counts[${t}] has ${row.length} values; the table must be square.`,
      );
    }
    row.forEach((count, p) => {
      if (!Number.isSafeInteger(count) || count < 0) {
        throw new MetricsError(
          'INVALID_ARGUMENT',
          `counts[${t}][${p}] is ${String(count)}; counts must be whole numbers >= 0.`,
        );
      }
    });
  });
  return rows;
}
