import { MnistDataError } from '../errors.js';
import { preprocessDrawing } from '../preprocess.js';
import { renderStrokes, type StrokeContext } from './render.js';
import { isEmptyDrawing, type Stroke } from './strokes.js';

/**
 * Side of the offscreen canvas the model input is rendered on. Rendering the strokes at one fixed size (instead of
 * reading back the visible canvas) makes the model input the same on a phone and on a 4K monitor.
 */
export const INPUT_CANVAS_SIZE = 280;

/** The RGBA pixels of a canvas, as `getImageData` returns them. */
export interface RgbaImage {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/** A 2D context that can also be read back. */
export interface ReadableStrokeContext extends StrokeContext {
  getImageData(x: number, y: number, w: number, h: number): RgbaImage;
}

/** Creates a canvas of the given size: `OffscreenCanvas` or `<canvas>` in browsers, e.g. @napi-rs/canvas in Node. */
export type CanvasFactory = (width: number, height: number) => { getContext(type: '2d'): unknown };

/**
 * The ink coverage of a canvas, one byte per pixel, from its alpha channel: strokes are painted on a transparent
 * canvas, so alpha is exactly "how much ink" (anti-aliased edges included), whatever the ink colour or theme.
 *
 * @throws {@link MnistDataError} `BAD_INPUT` if the buffer does not match the size.
 */
export function inkCoverage(image: RgbaImage): Uint8Array {
  const { data, width, height } = image;
  if (data.length !== width * height * 4) {
    throw new MnistDataError(
      'BAD_INPUT',
      `inkCoverage: expected ${width * height * 4} RGBA bytes for ${width}x${height}, got ${data.length}.`,
    );
  }
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 3; i < out.length; i++, j += 4) out[i] = data[j] as number;
  return out;
}

/**
 * Turns ink coverage into the model's 784 inputs with MNIST-style preprocessing ({@link preprocessDrawing}: crop,
 * scale the longer side to 20 px, centre of mass to the centre). Returns null when there is no ink.
 */
export function coverageToInput(coverage: Uint8Array, width: number, height: number): Float32Array | null {
  return preprocessDrawing(coverage, width, height, { channels: 1, invert: false });
}

/** Options of {@link createInputRenderer}. */
export interface InputRendererOptions {
  /** Canvas side in pixels (default {@link INPUT_CANVAS_SIZE}, what the web demo uses). */
  size?: number;
  /** Pen width in canvas pixels (default: {@link strokeWidthFor}(size)). */
  lineWidth?: number;
  /**
   * Changes the ink coverage before preprocessing (e.g. re-rendering it at a lower resolution); gets and returns
   * `size × size` bytes.
   */
  transformCoverage?: (coverage: Uint8Array, size: number) => Uint8Array;
}

/**
 * Builds the drawing-to-model-input function: strokes are painted on one reused offscreen canvas with
 * {@link renderStrokes}, read back ({@link inkCoverage}) and preprocessed ({@link coverageToInput}). The result is
 * `null` for an empty drawing, so callers show a prompt rather than a guess.
 */
export function createInputRenderer(
  createCanvas: CanvasFactory,
  options: InputRendererOptions = {},
): (strokes: readonly Stroke[]) => Float32Array | null {
  const size = options.size ?? INPUT_CANVAS_SIZE;
  let ctx: ReadableStrokeContext | undefined;
  return (strokes) => {
    if (isEmptyDrawing(strokes)) return null;
    if (!ctx) {
      const context = createCanvas(size, size).getContext('2d');
      if (!context) {
        throw new MnistDataError(
          'BAD_INPUT',
          'This runtime cannot create a 2D canvas, so drawings cannot be read.',
        );
      }
      ctx = context as ReadableStrokeContext;
    }
    renderStrokes(ctx, strokes, {
      size,
      ...(options.lineWidth !== undefined && { lineWidth: options.lineWidth }),
    });
    const coverage = inkCoverage(ctx.getImageData(0, 0, size, size));
    return coverageToInput(options.transformCoverage?.(coverage, size) ?? coverage, size, size);
  };
}
