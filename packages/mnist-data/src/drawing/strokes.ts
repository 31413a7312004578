/**
 * The drawing as data: strokes of points in normalised coordinates (0..1 across the square canvas), so the same
 * drawing renders identically at any canvas size or devicePixelRatio. Shared by the web demo (which draws them) and
 * the drawn-digit benchmark (which redraws MNIST test digits with them).
 */

/** A point on the canvas, in fractions of the canvas side (0 = left/top, 1 = right/bottom). */
export interface StrokePoint {
  readonly x: number;
  readonly y: number;
}

/** One pen-down..pen-up movement. A single point is a dot. */
export type Stroke = readonly StrokePoint[];

/**
 * Stroke width as a fraction of the canvas side. MNIST digits are ~20 px tall with ~2-3 px strokes; a digit drawn
 * across ~70% of the canvas with this width lands at about that thickness after the 20 px rescale.
 */
export const STROKE_WIDTH_FRACTION = 0.075;

/** The line width in canvas pixels for a canvas whose side is `canvasPixels` device pixels. */
export function strokeWidthFor(canvasPixels: number): number {
  return Math.max(1, STROKE_WIDTH_FRACTION * canvasPixels);
}

/** True if the drawing has no ink at all. */
export function isEmptyDrawing(strokes: readonly Stroke[]): boolean {
  return strokes.every((s) => s.length === 0);
}
