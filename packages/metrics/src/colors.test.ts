import { describe, expect, it } from 'vitest';
import { viridisTable } from '../test/load-fixtures';
import { colorAt, contrastingTextColor, diverging, type Rgb, rgbToHex, viridis } from './colors';

/** WCAG relative luminance, to check lightness ordering of the ramps. */
function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

describe('colour ramps', () => {
  it('viridis stays within 1 level per channel of matplotlib’s 256-entry table', () => {
    let worst = 0;
    viridisTable.forEach((expected, i) => {
      const actual = viridis(i / 255);
      for (let c = 0; c < 3; c++)
        worst = Math.max(worst, Math.abs((actual[c] as number) - (expected[c] as number)));
    });
    expect(worst).toBeLessThanOrEqual(1);
    expect(viridis(0)).toEqual(viridisTable[0]);
    expect(viridis(1)).toEqual(viridisTable[255]);
  });

  it('viridis gets lighter monotonically, so it reads in greyscale', () => {
    for (let i = 1; i <= 100; i++)
      expect(luminance(viridis(i / 100))).toBeGreaterThan(luminance(viridis((i - 1) / 100)));
  });

  it('diverging is blue → near-white → red with lightness symmetric about the middle', () => {
    const [r0, , b0] = diverging(0);
    const [r1, , b1] = diverging(1);
    expect(b0).toBeGreaterThan(r0);
    expect(r1).toBeGreaterThan(b1);
    expect(Math.min(...diverging(0.5))).toBeGreaterThan(235);
    for (let i = 0; i <= 50; i++) {
      const left = luminance(diverging(0.5 - i / 100));
      const right = luminance(diverging(0.5 + i / 100));
      expect(Math.abs(left - right)).toBeLessThan(0.02);
      if (i > 0) expect(left).toBeLessThan(luminance(diverging(0.5 - (i - 1) / 100)));
    }
  });

  it('ramps clamp out-of-range input, treat NaN as 0 and return whole channels', () => {
    expect(viridis(-3)).toEqual(viridis(0));
    expect(viridis(7)).toEqual(viridis(1));
    expect(diverging(Number.NaN)).toEqual(diverging(0));
    for (const t of [0, 0.13, 0.5, 0.77, 1]) {
      for (const channel of [...viridis(t), ...diverging(t)]) {
        expect(Number.isInteger(channel) && channel >= 0 && channel <= 255).toBe(true);
      }
    }
  });

  it('maps values through a domain, formats hex and picks readable text', () => {
    expect(colorAt(50, 0, 100)).toEqual(viridis(0.5));
    expect(colorAt(-2, -2, 2, diverging)).toEqual(diverging(0));
    expect(colorAt(5, 5, 5)).toEqual(viridis(0));
    expect(rgbToHex([68, 1, 84])).toBe('#440154');
    expect(rgbToHex([300, -4, 15.6])).toBe('#ff0010');
    expect(contrastingTextColor(viridis(0))).toBe('#ffffff');
    expect(contrastingTextColor(viridis(1))).toBe('#000000');
    expect(contrastingTextColor(diverging(0.5))).toBe('#000000');
  });
});
