// MNIST-style preprocessing of a drawn digit, in plain TypeScript on typed arrays (browser and Node).
//
// Centre-of-mass convention: array-index coordinates, as scipy.ndimage.center_of_mass and MNIST itself use. Pixel
// (col, row) sits at the point (col, row); the centre of mass is Σ v·(col, row) / Σ v. MNIST's digits have their
// centre of mass at (14, 14) in these coordinates (measured over its 10,000 test images: mean (14.01, 13.99)),
// i.e. on the centre of pixel (14, 14), half a pixel right of and below the geometric middle of the 28×28 field.
//
// Why not an image library: the resampling here is one area-averaging pass into a 20-pixel box plus a sub-pixel
// shift, on plain arrays, identical in Node and browsers. The kept libraries do not fit: sharp is native and
// Node-only, pica needs a canvas (and workers) and resizes whole images without MNIST's centring, and image-js
// would bring a large dependency for what is here a few loops over typed arrays. The steps are MNIST's own,
// checked against real MNIST digits in preprocess.test.ts.
import { MnistDataError } from './errors.js';
import { type InkShape, inkShape } from './ink-shape.js';

/** Side of the MNIST field. */
export const MNIST_SIZE = 28;
/** Where MNIST puts a digit's centre of mass, in index coordinates (x = y = 14). */
export const MNIST_CENTER = 14;
/** Side of the box the digit's longer side is scaled to (as in MNIST). */
export const MNIST_BOX = 20;

/** Options of {@link preprocessDrawing} and {@link analyzeDrawing}. */
export interface PreprocessOptions {
  /** 4 for RGBA (canvas `ImageData`), 1 for grey. Default: inferred from the length of `pixels`. */
  channels?: 1 | 4;
  /**
   * Whether ink is dark on a light background. `'auto'` (default) decides from the background, i.e. the most common
   * grey level: light background → invert. Ignored for RGBA with transparency, where ink is the alpha channel.
   */
  invert?: boolean | 'auto';
  /**
   * A pixel belongs to the digit's bounding box if its ink is above this fraction of the strongest ink (default
   * 0.05). Raise it for noisy photos.
   */
  threshold?: number;
  /** Strongest ink (0..255) below which the input counts as empty. Default 16. */
  minInk?: number;
  /** Rescale so the darkest output pixel is full ink, as in MNIST (default true). */
  stretch?: boolean;
}

/** A point in array-index pixel coordinates: pixel (col, row) is the point (col, row). */
export interface Point {
  x: number;
  y: number;
}

/** What {@link analyzeDrawing} found and produced. */
export interface DrawingAnalysis {
  /** 784 floats in [0, 1], row-major, 1 = ink: the model input. */
  input: Float32Array;
  /** The same image as 784 bytes 0..255, for display. */
  preview: Uint8Array;
  /** The ink's bounding box in the input image (pixels). */
  boundingBox: { x: number; y: number; width: number; height: number };
  /** Output pixels per input pixel. */
  scale: number;
  /** Centre of mass of `input` in index coordinates; {@link MNIST_CENTER} on both axes up to a few hundredths. */
  centerOfMass: Point;
  /** Whether the grey levels were inverted (dark ink on light background). */
  inverted: boolean;
  /** Where ink was read from: the alpha channel (transparent canvas) or the grey level. */
  inkSource: 'alpha' | 'luminance';
  /**
   * The ink's shape in `input` ({@link inkShape}): how deep its innermost pixel lies, and `solid` when it is one blob
   * (a dot, a filled square, a checkerboard) rather than strokes, which no digit is: say so rather than classify it.
   */
  shape: InkShape;
}

/**
 * Centre of mass of a grey image in array-index coordinates (Σ v·(col, row) / Σ v, as scipy.ndimage does), or null
 * if the image has no mass.
 */
export function centerOfMass(pixels: ArrayLike<number>, width: number, height: number): Point | null {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const v = pixels[r * width + c] as number;
      mass += v;
      sx += v * c;
      sy += v * r;
    }
  }
  return mass > 0 ? { x: sx / mass, y: sy / mass } : null;
}

/**
 * Turns a drawing (a canvas `ImageData`'s RGBA bytes, or grey bytes) of any size into a 28×28 MNIST-style input,
 * following MNIST's own steps: read the ink (inverting dark-on-light drawings), crop to the ink's bounding box,
 * scale so the longer side is 20 px keeping the aspect ratio (area-averaging, i.e. anti-aliased), place it in the
 * 28×28 field so that its centre of mass is at (14, 14) in index coordinates, where MNIST puts it (see
 * {@link centerOfMass}; placement is sub-pixel, so it lands there within a few hundredths of a pixel).
 *
 * @returns 784 floats in [0, 1] (1 = ink), or null if the drawing is empty.
 * @throws {@link MnistDataError} `BAD_INPUT` if the size does not match the pixels.
 */
export function preprocessDrawing(
  pixels: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  options: PreprocessOptions = {},
): Float32Array | null {
  return analyzeDrawing(pixels, width, height, options)?.input ?? null;
}

/** Like {@link preprocessDrawing}, also returning what was found (bounding box, centre of mass, a byte preview). */
export function analyzeDrawing(
  pixels: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  options: PreprocessOptions = {},
): DrawingAnalysis | null {
  const { ink, inverted, inkSource } = readInk(pixels, width, height, options);
  let maxInk = 0;
  for (let i = 0; i < ink.length; i++) if ((ink[i] as number) > maxInk) maxInk = ink[i] as number;
  if (maxInk < (options.minInk ?? 16)) return null;

  // Bounding box of the pixels that count as ink.
  const cut = maxInk * (options.threshold ?? 0.05);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if ((ink[r * width + c] as number) > cut) {
        if (c < x0) x0 = c;
        if (c > x1) x1 = c;
        if (r < y0) y0 = r;
        if (r > y1) y1 = r;
      }
    }
  }
  const boxWidth = x1 - x0 + 1;
  const boxHeight = y1 - y0 + 1;
  // Only the box is resampled, so faint specks outside it cannot pull the centre of mass.
  const crop = new Float32Array(boxWidth * boxHeight);
  for (let r = 0; r < boxHeight; r++) {
    crop.set(ink.subarray((y0 + r) * width + x0, (y0 + r) * width + x0 + boxWidth), r * boxWidth);
  }
  const scale = MNIST_BOX / Math.max(boxWidth, boxHeight);
  const com = centerOfMass(crop, boxWidth, boxHeight) as Point;

  // Place the scaled crop so its centre of mass maps to (14, 14); then correct for the small error that binning
  // into whole output pixels introduces (and for any clipping at the border). The resampler works in continuous
  // coordinates, where index position i is the point i + 0.5.
  const centre = MNIST_CENTER;
  let offsetX = centre + 0.5 - (com.x + 0.5) * scale;
  let offsetY = centre + 0.5 - (com.y + 0.5) * scale;
  let out = resample(crop, boxWidth, boxHeight, scale, offsetX, offsetY);
  let outCom = centerOfMass(out, MNIST_SIZE, MNIST_SIZE) as Point;
  for (let pass = 0; pass < 3 && Math.hypot(outCom.x - centre, outCom.y - centre) > 0.01; pass++) {
    offsetX += centre - outCom.x;
    offsetY += centre - outCom.y;
    const next = resample(crop, boxWidth, boxHeight, scale, offsetX, offsetY);
    const nextCom = centerOfMass(next, MNIST_SIZE, MNIST_SIZE);
    if (!nextCom) break;
    out = next;
    outCom = nextCom;
  }

  let outMax = 0;
  for (let i = 0; i < out.length; i++) if ((out[i] as number) > outMax) outMax = out[i] as number;
  const gain = options.stretch === false || outMax === 0 ? 1 : 255 / outMax;
  const input = new Float32Array(out.length);
  const preview = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) {
    const v = Math.min(255, (out[i] as number) * gain);
    input[i] = v / 255;
    preview[i] = Math.round(v);
  }
  return {
    input,
    preview,
    boundingBox: { x: x0, y: y0, width: boxWidth, height: boxHeight },
    scale,
    centerOfMass: centerOfMass(input, MNIST_SIZE, MNIST_SIZE) as Point,
    inverted,
    inkSource,
    shape: inkShape(input),
  };
}

/** Ink per pixel (0..255, 0 = background) from RGBA or grey pixels. */
function readInk(
  pixels: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  options: PreprocessOptions,
): { ink: Float32Array; inverted: boolean; inkSource: 'alpha' | 'luminance' } {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new MnistDataError('BAD_INPUT', `A drawing must be at least 1×1 pixels, got ${width}×${height}.`);
  }
  const n = width * height;
  const channels = options.channels ?? (pixels.length === n * 4 ? 4 : pixels.length === n ? 1 : 0);
  if ((channels !== 1 && channels !== 4) || pixels.length !== n * channels) {
    throw new MnistDataError(
      'BAD_INPUT',
      `A ${width}×${height} drawing needs ${n} grey bytes or ${n * 4} RGBA bytes, got ${pixels.length}.`,
    );
  }
  const ink = new Float32Array(n);
  if (channels === 4) {
    let transparent = false;
    for (let i = 0; i < n; i++) {
      if ((pixels[i * 4 + 3] as number) < 255) {
        transparent = true;
        break;
      }
    }
    // On a transparent canvas the strokes are where the alpha is, whatever their colour.
    if (transparent) {
      for (let i = 0; i < n; i++) ink[i] = pixels[i * 4 + 3] as number;
      return { ink, inverted: false, inkSource: 'alpha' };
    }
    for (let i = 0; i < n; i++) {
      const p = i * 4;
      ink[i] =
        0.299 * (pixels[p] as number) + 0.587 * (pixels[p + 1] as number) + 0.114 * (pixels[p + 2] as number);
    }
  } else {
    for (let i = 0; i < n; i++) ink[i] = pixels[i] as number;
  }

  // The background is the most common grey level: a drawing is mostly background.
  const histogram = new Uint32Array(256);
  for (let i = 0; i < n; i++) {
    const level = Math.round(ink[i] as number);
    histogram[level] = (histogram[level] as number) + 1;
  }
  let background = 0;
  for (let level = 1; level < 256; level++) {
    if ((histogram[level] as number) > (histogram[background] as number)) background = level;
  }
  const invert =
    options.invert === undefined || options.invert === 'auto' ? background > 127 : options.invert;
  const floor = invert ? 255 - background : background;
  // Lift a grey background (paper, a dim canvas) to zero ink, keeping the full range for the strokes.
  const base = floor < 128 ? floor : 0;
  const gain = 255 / (255 - base);
  for (let i = 0; i < n; i++) {
    const v = invert ? 255 - (ink[i] as number) : (ink[i] as number);
    ink[i] = v > base ? (v - base) * gain : 0;
  }
  return { ink, inverted: invert, inkSource: 'luminance' };
}

/**
 * Area-averaging resampler: output pixel X covers output [X, X+1], i.e. source [(X - offset) / scale,
 * (X + 1 - offset) / scale]; its value is the mean of the source over that interval (zero outside the source).
 * Separable: rows first, then columns.
 */
function resample(
  src: Float32Array,
  width: number,
  height: number,
  scale: number,
  offsetX: number,
  offsetY: number,
): Float32Array {
  const columns = footprints(width, scale, offsetX);
  const rows = footprints(height, scale, offsetY);
  const horizontal = new Float32Array(height * MNIST_SIZE);
  for (let r = 0; r < height; r++) {
    const row = r * width;
    for (let X = 0; X < MNIST_SIZE; X++) {
      const { start, weights } = columns[X] as Footprint;
      let sum = 0;
      for (let k = 0; k < weights.length; k++)
        sum += (weights[k] as number) * (src[row + start + k] as number);
      horizontal[r * MNIST_SIZE + X] = sum;
    }
  }
  const out = new Float32Array(MNIST_SIZE * MNIST_SIZE);
  for (let Y = 0; Y < MNIST_SIZE; Y++) {
    const { start, weights } = rows[Y] as Footprint;
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k] as number;
      const line = (start + k) * MNIST_SIZE;
      for (let X = 0; X < MNIST_SIZE; X++) {
        out[Y * MNIST_SIZE + X] = (out[Y * MNIST_SIZE + X] as number) + w * (horizontal[line + X] as number);
      }
    }
  }
  return out;
}

interface Footprint {
  start: number;
  weights: Float32Array;
}

/** For each of the 28 output positions, the source pixels it overlaps and the weight (overlap / footprint) of each. */
function footprints(sourceLength: number, scale: number, offset: number): Footprint[] {
  const result: Footprint[] = [];
  const span = 1 / scale;
  for (let X = 0; X < MNIST_SIZE; X++) {
    const a = (X - offset) / scale;
    const b = a + span;
    const start = Math.max(0, Math.floor(a));
    const end = Math.min(sourceLength, Math.ceil(b));
    const weights = new Float32Array(Math.max(0, end - start));
    for (let x = start; x < end; x++) {
      const overlap = Math.min(b, x + 1) - Math.max(a, x);
      weights[x - start] = overlap > 0 ? overlap / span : 0;
    }
    result.push({ start, weights });
  }
  return result;
}
