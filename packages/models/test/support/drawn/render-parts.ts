// Builds the benchmark's images: trace each digit once, then draw it in every part's way with the demo's renderer
// and preprocessing. Pure apart from the canvas it is given.
import {
  type CanvasFactory,
  createInputRenderer,
  digitToStrokes,
  fitStrokes,
  jitterStrokes,
  pixelate,
  type PathPoint,
} from '@mnist/data';
import { type DrawnPart, jitterSeed } from './parts.js';

const PIXELS = 784;

/** Digits to redraw: 28×28 byte images and their labels, with their index in the source split. */
export interface SourceDigits {
  /** `count × 784` bytes. */
  images: Uint8Array;
  labels: Uint8Array;
  /** Index in the source split of the first digit (jitter seeds follow the digit, not its position here). */
  firstIndex: number;
}

/** One part's images as IDX-ready bytes (model inputs × 255, rounded) and labels. */
export interface RenderedPart {
  part: DrawnPart;
  images: Uint8Array;
  labels: Uint8Array;
}

/**
 * Renders every part for every digit. Model inputs (floats 0..1 from `preprocessDrawing`) are stored as bytes,
 * rounded, as MNIST itself is; a digit whose drawing comes out empty (none has so far) is stored blank.
 *
 * Yields to the event loop after every digit: Node canvases (@napi-rs/canvas) free the pixel buffers that
 * `getImageData` returns only then, and without it a full build holds tens of gigabytes.
 *
 * @param onDigit - progress callback, called after each digit
 */
export async function renderParts(
  digits: SourceDigits,
  parts: readonly DrawnPart[],
  createCanvas: CanvasFactory,
  onDigit?: (done: number, total: number) => void,
): Promise<RenderedPart[]> {
  const count = digits.labels.length;
  const renderers = parts.map((part) =>
    createInputRenderer(createCanvas, {
      size: part.canvasSize,
      lineWidth: Math.max(1, part.penWidth * part.canvasSize),
      ...(part.cells !== undefined && {
        transformCoverage: (coverage: Uint8Array, size: number) =>
          pixelate(coverage, size, size, part.cells as number),
      }),
    }),
  );
  const out = parts.map((part) => ({
    part,
    images: new Uint8Array(count * PIXELS),
    labels: digits.labels.slice(),
  }));
  for (let i = 0; i < count; i++) {
    const strokes = digitToStrokes(digits.images.subarray(i * PIXELS, (i + 1) * PIXELS), 28, 28);
    parts.forEach((part, p) => {
      const drawn: PathPoint[][] = part.jitter
        ? jitterStrokes(strokes, jitterSeed(digits.firstIndex + i))
        : strokes;
      const placed = fitStrokes(drawn, {
        extent: part.extent,
        ...(part.center !== undefined && { centerX: part.center.x, centerY: part.center.y }),
      });
      const input = (renderers[p] as (typeof renderers)[number])(placed);
      if (input === null) return;
      const images = (out[p] as RenderedPart).images;
      for (let k = 0; k < PIXELS; k++) images[i * PIXELS + k] = Math.round((input[k] as number) * 255);
    });
    onDigit?.(i + 1, count);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}
