/** An sRGB colour: red, green and blue as whole numbers from 0 to 255. */
export type Rgb = readonly [red: number, green: number, blue: number];

/** Maps a position `t` in `[0, 1]` to a colour. Values outside are clamped; NaN is treated as 0. */
export type ColorRamp = (t: number) => Rgb;

// matplotlib's viridis (published CC0) sampled at every 5th of its 256 entries, as hex triplets:
// 52 anchors, linearly interpolated, stay within one 8-bit level of the full table.
const VIRIDIS_HEX =
  '44015446085c471063481769481d6f482475472a7a46307e453781433d844142873f48893d4e8a3a538b38598c355e8d' +
  '33638d31688e2e6d8e2c718e2a768e297b8e27808e25848e23898e218e8d20928c1f978b1e9c891fa18821a58524aa83' +
  '28ae802eb37c35b7793dbc7446c06f50c46a5ac86465cb5e70cf577cd25089d54895d840a2da37b0dd2fbddf26cae11f' +
  'd8e219e5e419f1e51dfde725';

const VIRIDIS_ANCHORS: readonly Rgb[] = Array.from({ length: VIRIDIS_HEX.length / 6 }, (_, i) => {
  const channel = (offset: number) =>
    Number.parseInt(VIRIDIS_HEX.slice(i * 6 + offset, i * 6 + offset + 2), 16);
  return [channel(0), channel(2), channel(4)] as const;
});

/**
 * Sequential, perceptually uniform, colour-blind-friendly ramp like matplotlib's viridis: dark purple
 * at 0 through blue and green to yellow at 1. Lightness rises monotonically, so it also reads in
 * greyscale. Use it for counts and rates (confusion-matrix heatmaps).
 */
export const viridis: ColorRamp = (t) => {
  const position = clamp01(t) * (VIRIDIS_ANCHORS.length - 1);
  const index = Math.min(Math.floor(position), VIRIDIS_ANCHORS.length - 2);
  const from = VIRIDIS_ANCHORS[index] as Rgb;
  const to = VIRIDIS_ANCHORS[index + 1] as Rgb;
  const f = position - index;
  return [mix(from[0], to[0], f), mix(from[1], to[1], f), mix(from[2], to[2], f)];
};

// Diverging ramp endpoints in OKLab (Björn Ottosson's perceptual space): a blue and a red of the
// same lightness and chroma, meeting at a near-white neutral. Equal lightness at both ends keeps
// neither side visually heavier; interpolating in OKLab keeps the steps perceptually even.
const COLD = oklabFromLch(0.5, 0.14, 255);
const NEUTRAL = oklabFromLch(0.97, 0, 0);
const WARM = oklabFromLch(0.5, 0.14, 28);

/**
 * Diverging ramp: blue at 0, near-white at 0.5, red at 1, with lightness symmetric about the centre.
 * Use it for signed quantities (a change between two models, a residual); map the neutral value to
 * 0.5, e.g. `colorAt(delta, -m, m, diverging)`.
 */
export const diverging: ColorRamp = (t) => {
  const u = clamp01(t);
  const [from, to, f] = u < 0.5 ? [COLD, NEUTRAL, u * 2] : [NEUTRAL, WARM, (u - 0.5) * 2];
  return oklabToRgb([mix01(from[0], to[0], f), mix01(from[1], to[1], f), mix01(from[2], to[2], f)]);
};

// Two light-to-dark sequential ramps in OKLab, of clearly different hues (blue and orange stay apart for
// the common colour-vision deficiencies). Their light ends are still a visible tint, not white: a value just
// above zero must not read as empty. Lightness falls monotonically, so both also read in greyscale.
const BLUE_LIGHT = oklabFromLch(0.93, 0.035, 250);
const BLUE_DARK = oklabFromLch(0.42, 0.13, 258);
const ORANGE_LIGHT = oklabFromLch(0.9, 0.075, 62);
const ORANGE_DARK = oklabFromLch(0.56, 0.18, 38);

/**
 * Sequential ramp from a pale blue at 0 to a deep blue at 1 (OKLab, lightness falling monotonically),
 * in the spirit of matplotlib's Blues. The heatmap colour rule uses it for correct predictions.
 */
export const blues: ColorRamp = (t) => oklabRamp(BLUE_LIGHT, BLUE_DARK, t);

/**
 * Sequential ramp from a pale orange at 0 to a deep red-orange at 1 (OKLab, lightness falling
 * monotonically), in the spirit of matplotlib's Oranges. The heatmap colour rule uses it for mistakes.
 */
export const oranges: ColorRamp = (t) => oklabRamp(ORANGE_LIGHT, ORANGE_DARK, t);

/**
 * The colour of `value` on a ramp spanning `min .. max` (linear; values outside are clamped).
 * When `min === max` every value maps to the start of the ramp.
 *
 * @example
 * ```ts
 * rgbToHex(colorAt(0.97, 0, 1)); // a yellow-green near the top of viridis
 * ```
 */
export function colorAt(value: number, min: number, max: number, ramp: ColorRamp = viridis): Rgb {
  return ramp(max === min ? 0 : (value - min) / (max - min));
}

/** `'#rrggbb'` for an {@link Rgb} colour (channels are rounded and clamped to 0..255). */
export function rgbToHex(rgb: Rgb): string {
  return `#${rgb
    .map((channel) =>
      Math.round(Math.min(255, Math.max(0, channel)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/**
 * Black or white, whichever contrasts more with `background` (WCAG relative luminance), for text
 * drawn on heatmap cells.
 */
export function contrastingTextColor(background: Rgb): '#000000' | '#ffffff' {
  const luminance =
    0.2126 * srgbToLinear(background[0] / 255) +
    0.7152 * srgbToLinear(background[1] / 255) +
    0.0722 * srgbToLinear(background[2] / 255);
  // Contrast ratios (L + 0.05) / 0.05 against black and 1.05 / (L + 0.05) against white are equal here.
  return luminance > Math.sqrt(1.05 * 0.05) - 0.05 ? '#000000' : '#ffffff';
}

type Oklab = readonly [lightness: number, a: number, b: number];

function oklabRamp(from: Oklab, to: Oklab, t: number): Rgb {
  const f = clamp01(t);
  return oklabToRgb([mix01(from[0], to[0], f), mix01(from[1], to[1], f), mix01(from[2], to[2], f)]);
}

function oklabFromLch(lightness: number, chroma: number, hueDegrees: number): Oklab {
  const hue = (hueDegrees * Math.PI) / 180;
  return [lightness, chroma * Math.cos(hue), chroma * Math.sin(hue)];
}

function oklabToRgb([lightness, a, b]: Oklab): Rgb {
  const l = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (lightness - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    linearToByte(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
    linearToByte(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
    linearToByte(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s),
  ];
}

function linearToByte(linear: number): number {
  const x = Math.min(1, Math.max(0, linear));
  const encoded = x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055;
  return Math.round(encoded * 255);
}

function srgbToLinear(encoded: number): number {
  return encoded <= 0.04045 ? encoded / 12.92 : ((encoded + 0.055) / 1.055) ** 2.4;
}

function clamp01(t: number): number {
  return t > 0 ? Math.min(t, 1) : 0; // NaN fails `t > 0` and becomes 0
}

function mix(from: number, to: number, f: number): number {
  return Math.round(from + (to - from) * f);
}

function mix01(from: number, to: number, f: number): number {
  return from + (to - from) * f;
}
