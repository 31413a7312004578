import type { PathPoint } from './trace.js';
import type { Stroke } from './strokes.js';

/** Where {@link fitStrokes} puts a drawing on the canvas, in fractions of the canvas side. */
export interface Placement {
  /** Longer side of the drawing's bounding box, as a fraction of the canvas side (e.g. 0.7). */
  extent: number;
  /** Where the centre of the bounding box goes (default 0.5). */
  centerX?: number;
  /** See {@link Placement.centerX}. */
  centerY?: number;
}

/** Bounding box of every point of some strokes, or null when there is none. */
export function strokesBox(
  strokes: readonly (readonly PathPoint[])[],
): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const stroke of strokes) {
    for (const p of stroke) {
      x0 = Math.min(x0, p.x);
      y0 = Math.min(y0, p.y);
      x1 = Math.max(x1, p.x);
      y1 = Math.max(y1, p.y);
    }
  }
  return x0 <= x1 ? { x0, y0, x1, y1 } : null;
}

/**
 * Scales and moves strokes (in any unit, e.g. MNIST pixels) onto a canvas, in the canvas-fraction coordinates that
 * {@link Stroke} uses: the longer side of their bounding box becomes `extent`, its centre goes to
 * (`centerX`, `centerY`); the aspect ratio is kept.
 */
export function fitStrokes(strokes: readonly (readonly PathPoint[])[], placement: Placement): Stroke[] {
  const box = strokesBox(strokes);
  if (box === null) return strokes.map(() => []);
  const side = Math.max(box.x1 - box.x0, box.y1 - box.y0);
  const scale = side > 0 ? placement.extent / side : 0;
  const cx = (box.x0 + box.x1) / 2;
  const cy = (box.y0 + box.y1) / 2;
  const tx = placement.centerX ?? 0.5;
  const ty = placement.centerY ?? 0.5;
  return strokes.map((stroke) =>
    stroke.map((p) => ({ x: tx + (p.x - cx) * scale, y: ty + (p.y - cy) * scale })),
  );
}
