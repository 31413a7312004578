import { preprocessDrawing } from '@mnist/data';
import { renderStrokes, type StrokeContext } from './render';
import { isEmptyDrawing, type Stroke } from './strokes';

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

/** Creates a canvas of the given size: `OffscreenCanvas` or `<canvas>` in browsers, @napi-rs/canvas in tests. */
export type CanvasFactory = (
  width: number,
  height: number,
) => { getContext(type: '2d', options?: { willReadFrequently?: boolean }): unknown };

/**
 * The ink coverage of a canvas, one byte per pixel, from its alpha channel: strokes are painted on a transparent
 * canvas, so alpha is exactly "how much ink" (anti-aliased edges included), whatever the ink colour or theme.
 */
export function inkCoverage(image: RgbaImage): Uint8Array {
  const { data, width, height } = image;
  if (data.length !== width * height * 4) {
    throw new Error(
      `inkCoverage: expected ${width * height * 4} RGBA bytes for ${width}x${height}, got ${data.length}.`,
    );
  }
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 3; i < out.length; i++, j += 4) out[i] = data[j] as number;
  return out;
}

/**
 * Turns ink coverage into the model's 784 inputs with @mnist/data's MNIST-style preprocessing (crop, scale the
 * longer side to 20 px, centre of mass to the centre). Returns null when there is no ink.
 */
export function coverageToInput(coverage: Uint8Array, width: number, height: number): Float32Array | null {
  return preprocessDrawing(coverage, width, height, { channels: 1, invert: false });
}

/**
 * Builds the drawing-to-model-input function: strokes are painted on one reused offscreen canvas of
 * {@link INPUT_CANVAS_SIZE} pixels with the same renderer as the visible canvas, read back, and preprocessed.
 * The result is `null` for an empty drawing, so callers show a prompt rather than a guess.
 */
export function createInputRenderer(
  createCanvas: CanvasFactory,
): (strokes: readonly Stroke[]) => Float32Array | null {
  let ctx: ReadableStrokeContext | undefined;
  return (strokes) => {
    if (isEmptyDrawing(strokes)) return null;
    if (!ctx) {
      // Read back after every stroke: tell the browser, so it keeps the canvas in memory rather than on the GPU.
      const context = createCanvas(INPUT_CANVAS_SIZE, INPUT_CANVAS_SIZE).getContext('2d', {
        willReadFrequently: true,
      });
      if (!context) throw new Error('This browser cannot create a 2D canvas, so drawings cannot be read.');
      ctx = context as ReadableStrokeContext;
    }
    renderStrokes(ctx, strokes, { size: INPUT_CANVAS_SIZE });
    const coverage = inkCoverage(ctx.getImageData(0, 0, INPUT_CANVAS_SIZE, INPUT_CANVAS_SIZE));
    return coverageToInput(coverage, INPUT_CANVAS_SIZE, INPUT_CANVAS_SIZE);
  };
}

/** The browser's canvas factory: `OffscreenCanvas` where available (no DOM node), else a detached `<canvas>`. */
export const browserCanvasFactory: CanvasFactory = (width, height) => {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
};
