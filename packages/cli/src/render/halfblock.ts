import { SIDE } from '@mnist/models';

/**
 * Draws greyscale images in a terminal with Unicode half-blocks: each character cell shows two pixels,
 * the upper one as the foreground of "▀" and the lower one as the background. Pure: returns strings.
 */

/** How to draw. */
export interface HalfBlockOptions {
  /** Use 256-colour greys (true) or only the shapes ("▀", "▄", "█", " ") for NO_COLOR terminals. */
  readonly color: boolean;
  /** Pixel value at or above which a pixel counts as ink without colour (default 96). */
  readonly threshold?: number;
}

const UPPER = '▀';
const LOWER = '▄';
const FULL = '█';
const RESET = '\u001b[0m';

/** Grey levels of the xterm 256-colour palette: 16 is black, 232-255 a ramp from 8 to 238, 231 is white. */
const GREY_CODES: ReadonlyArray<readonly [level: number, code: number]> = [
  [0, 16],
  ...Array.from({ length: 24 }, (_, k) => [8 + 10 * k, 232 + k] as const),
  [255, 231],
];

/** The xterm 256-colour code closest to a grey value 0..255. */
export function greyCode(value: number): number {
  let best = GREY_CODES[0] as readonly [number, number];
  for (const entry of GREY_CODES) if (Math.abs(entry[0] - value) < Math.abs(best[0] - value)) best = entry;
  return best[1];
}

/**
 * Renders a `width`×`height` greyscale image (row-major, 0 = black, 255 = white) as
 * `ceil(height / 2)` lines of `width` characters each (ANSI colour codes aside).
 */
export function renderHalfBlocks(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  options: HalfBlockOptions,
): string[] {
  if (pixels.length < width * height) {
    throw new Error(`renderHalfBlocks: expected ${width * height} pixels, got ${pixels.length}`);
  }
  const threshold = options.threshold ?? 96;
  const lines: string[] = [];
  for (let row = 0; row < height; row += 2) {
    let line = '';
    let lastFg = -1;
    let lastBg = -1;
    for (let col = 0; col < width; col++) {
      const top = pixels[row * width + col] ?? 0;
      const bottom = row + 1 < height ? (pixels[(row + 1) * width + col] ?? 0) : 0;
      if (options.color) {
        const fg = greyCode(top);
        const bg = greyCode(bottom);
        // Only emit codes when the colour changes: a 28-wide digit stays a short string.
        if (fg !== lastFg) line += `\u001b[38;5;${fg}m`;
        if (bg !== lastBg) line += `\u001b[48;5;${bg}m`;
        lastFg = fg;
        lastBg = bg;
        line += UPPER;
      } else {
        const upper = top >= threshold;
        const lower = bottom >= threshold;
        line += upper && lower ? FULL : upper ? UPPER : lower ? LOWER : ' ';
      }
    }
    lines.push(options.color ? line + RESET : line);
  }
  return lines;
}

/** Averages `factor`×`factor` blocks, for drawing at half size in narrow terminals. */
export function downsample(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  factor: number,
): Uint8Array {
  const outWidth = Math.ceil(width / factor);
  const outHeight = Math.ceil(height / factor);
  const out = new Uint8Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      let count = 0;
      for (let dy = 0; dy < factor && y * factor + dy < height; dy++) {
        for (let dx = 0; dx < factor && x * factor + dx < width; dx++) {
          sum += pixels[(y * factor + dy) * width + x * factor + dx] ?? 0;
          count++;
        }
      }
      out[y * outWidth + x] = Math.round(sum / count);
    }
  }
  return out;
}

/**
 * Lays several rendered images side by side with a caption under each, wrapping to `maxWidth` columns.
 * Captions longer than an image are cut. Returns the lines of every row of images, rows separated by a blank line.
 */
export function tileImages(
  images: ReadonlyArray<{ lines: readonly string[]; caption: string; width: number }>,
  maxWidth: number,
  gap = 2,
): string[] {
  const out: string[] = [];
  let row: (typeof images)[number][] = [];
  let rowWidth = 0;
  const flush = () => {
    if (row.length === 0) return;
    if (out.length > 0) out.push('');
    const height = Math.max(...row.map((image) => image.lines.length));
    for (let line = 0; line <= height; line++) {
      out.push(
        row
          .map((image) =>
            line < height
              ? (image.lines[line] ?? ' '.repeat(image.width))
              : image.caption.slice(0, image.width).padEnd(image.width),
          )
          .join(' '.repeat(gap))
          .trimEnd(),
      );
    }
    row = [];
    rowWidth = 0;
  };
  for (const image of images) {
    const needed = rowWidth === 0 ? image.width : rowWidth + gap + image.width;
    if (row.length > 0 && needed > maxWidth) flush();
    rowWidth = rowWidth === 0 ? image.width : rowWidth + gap + image.width;
    row.push(image);
  }
  flush();
  return out;
}

/** How many images `width` cells wide fit side by side in `columns` with `gap` between them (at least 1). */
export function imagesPerRow(columns: number, width = SIDE, gap = 2): number {
  return Math.max(1, Math.floor((columns + gap) / (width + gap)));
}
