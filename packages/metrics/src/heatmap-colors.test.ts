import { describe, expect, it } from 'vitest';
import {
  blues,
  confusionMatrix,
  contrastingTextColor,
  HEATMAP_RAMPS,
  heatmapCellColor,
  heatmapColors,
  MetricsError,
  oranges,
  type Rgb,
  rgbToHex,
} from './index';

/** WCAG relative luminance. */
function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio of two colours. */
function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** MNIST-like: big diagonal, a few mistakes, and zeros. Rows are true classes. */
const typical = [
  [961, 0, 2, 0],
  [0, 1110, 4, 35],
  [3, 7, 939, 0],
  [1, 0, 0, 99],
];

describe('sequential ramps for the heatmap', () => {
  it('blues and oranges darken monotonically, start as a visible tint and end dark', () => {
    for (const ramp of [blues, oranges]) {
      for (let i = 1; i <= 100; i++)
        expect(luminance(ramp(i / 100))).toBeLessThan(luminance(ramp((i - 1) / 100)));
      // The light end is not white: a value just above zero must not read as empty on a white page.
      expect(contrast(ramp(0), [255, 255, 255])).toBeGreaterThan(1.15);
      expect(luminance(ramp(1))).toBeLessThan(0.2);
    }
  });
  it('have different hues: blue for correct, orange for mistakes', () => {
    const [r0, , b0] = blues(0.6);
    const [r1, , b1] = oranges(0.6);
    expect(b0).toBeGreaterThan(r0);
    expect(r1).toBeGreaterThan(b1);
    expect(HEATMAP_RAMPS).toEqual({ correct: blues, error: oranges });
  });
});

describe('heatmapColors', () => {
  const colors = heatmapColors(typical);
  const cell = (t: number, p: number) => colors.cells[t]?.[p];

  it('leaves zeros empty: no fill, no text colour', () => {
    for (const [t, p] of [
      [0, 1],
      [1, 0],
      [3, 1],
      [2, 3],
    ] as const) {
      expect(cell(t, p)).toMatchObject({ kind: 'empty', count: 0, level: 0, fill: null, text: null });
      expect(cell(t, p)?.background).toBeNull();
      expect(cell(t, p)?.color).toBeNull();
    }
  });

  it('scales mistakes against the largest mistake, not against the diagonal', () => {
    // Shares of the true class: 35/1149 is the largest mistake, so it sits at the dark end of its scale.
    expect(colors.value).toBe('share');
    expect(colors.maxError).toBeCloseTo(35 / 1149, 12);
    expect(cell(1, 3)).toMatchObject({ kind: 'error', count: 35, level: 1, fill: oranges(1) });
    expect(cell(3, 0)).toMatchObject({ kind: 'error', count: 1, share: 0.01 });
    expect(cell(3, 0)?.level).toBeCloseTo(0.01 / (35 / 1149), 12);
    const byCount = heatmapColors(typical, { value: 'count' });
    expect(byCount.maxError).toBe(35);
    expect(byCount.cells[1]?.[3]).toMatchObject({ kind: 'error', level: 1 });
    expect(byCount.cells[0]?.[2]?.level).toBeCloseTo(2 / 35, 12);
    expect(byCount.cells[0]?.[2]?.fill).toEqual(oranges(2 / 35));
  });

  it('makes the smallest mistake stand out from an empty cell and from the correct cells', () => {
    const smallest = heatmapColors(typical, { value: 'count' }).cells[3]?.[0]?.fill as Rgb;
    expect(smallest).toEqual(oranges(1 / 35));
    expect(contrast(smallest, [255, 255, 255])).toBeGreaterThan(1.15);
    // Not the colour of any correct cell: a different hue.
    for (let t = 0; t < 4; t++) expect(colors.cells[t]?.[t]?.fill).not.toEqual(smallest);
    expect(smallest[0]).toBeGreaterThan(smallest[2]);
  });

  it('puts the diagonal on its own scale, against the largest correct cell', () => {
    const shares = [961 / 963, 1110 / 1149, 939 / 949, 99 / 100];
    const top = Math.max(...shares);
    expect(colors.maxCorrect).toBeCloseTo(top, 12);
    shares.forEach((share, t) => {
      expect(cell(t, t)?.kind).toBe('correct');
      expect(cell(t, t)?.level).toBeCloseTo(share / top, 12);
      expect(cell(t, t)?.fill).toEqual(blues(share / top));
    });
  });

  it('gives every filled cell a readable text colour and CSS strings', () => {
    for (const row of colors.cells) {
      for (const c of row) {
        if (c.fill === null) continue;
        expect(c.background).toBe(rgbToHex(c.fill));
        expect(c.color).toBe(contrastingTextColor(c.fill));
        expect(c.text).toEqual(c.color === '#000000' ? [0, 0, 0] : [255, 255, 255]);
        expect(contrast(c.fill, c.text as Rgb)).toBeGreaterThanOrEqual(4.5);
      }
    }
    // Readable at every level of both ramps, which is what legends draw.
    for (const kind of ['correct', 'error'] as const) {
      for (let i = 0; i <= 20; i++) {
        const { fill, text } = heatmapCellColor(kind, i / 20);
        expect(contrast(fill, text)).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('takes rows or flat row-major counts, as ConfusionMatrix gives them', () => {
    const matrix = confusionMatrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 2], { numClasses: 3 });
    const fromRows = heatmapColors(matrix.rows());
    expect(heatmapColors(matrix.counts)).toEqual(fromRows);
    expect(fromRows.cells.map((row) => row.map((c) => c.kind))).toEqual([
      ['correct', 'error', 'empty'],
      ['empty', 'correct', 'error'],
      ['empty', 'empty', 'correct'],
    ]);
    expect(fromRows.cells[0]?.[1]?.share).toBe(0.5);
  });

  it('handles a matrix without mistakes, and an all-zero one', () => {
    const perfect = heatmapColors([
      [3, 0],
      [0, 5],
    ]);
    expect(perfect.maxError).toBe(0);
    expect(perfect.cells[0]?.[1]?.kind).toBe('empty');
    expect(perfect.cells[1]?.[1]?.level).toBe(1);
    const none = heatmapColors([
      [0, 0],
      [0, 0],
    ]);
    expect(none.cells.flat().every((c) => c.kind === 'empty')).toBe(true);
    expect([none.maxCorrect, none.maxError]).toEqual([0, 0]);
  });

  it('rejects tables that are not square or hold bad counts, naming the cell', () => {
    expect(() => heatmapColors([1, 2, 3])).toThrow(MetricsError);
    expect(() => heatmapColors([[1, 2], [3]])).toThrow(/counts\[1\] has 1 values/);
    expect(() =>
      heatmapColors([
        [1, -2],
        [3, 4],
      ]),
    ).toThrow(/counts\[0\]\[1\] is -2/);
    expect(() =>
      heatmapColors([
        [1, Number.NaN],
        [3, 4],
      ]),
    ).toThrow(/counts\[0\]\[1\] is NaN/);
    expect(() => heatmapColors(typical, { value: 'rate' as 'share' })).toThrow(
      /value must be 'share' or 'count'/,
    );
  });
});
