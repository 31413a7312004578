import { type Stroke, strokeWidthFor } from './strokes.js';

/**
 * The part of `CanvasRenderingContext2D` that stroke rendering uses. Browsers' contexts, `OffscreenCanvas` and
 * Node canvases such as @napi-rs/canvas all satisfy it, so one renderer serves the page and the benchmark.
 */
export interface StrokeContext {
  lineWidth: number;
  lineCap: 'butt' | 'round' | 'square';
  lineJoin: 'bevel' | 'miter' | 'round';
  strokeStyle: unknown;
  fillStyle: unknown;
  clearRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  quadraticCurveTo(cpx: number, cpy: number, x: number, y: number): void;
  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number): void;
  stroke(): void;
  fill(): void;
}

/** How to paint strokes onto a square canvas of `size` pixels. */
export interface RenderOptions {
  /** Canvas side in pixels (the backing store, not CSS pixels). */
  size: number;
  /** Ink colour; only the alpha channel matters to the model. */
  color?: string;
  /** Line width in pixels; defaults to {@link strokeWidthFor}(size) so every canvas size looks alike. */
  lineWidth?: number;
}

/**
 * Clears the canvas and paints every stroke with round caps. Consecutive points are joined by quadratic curves
 * through their midpoints, which smooths the corners that sparse pointer events leave.
 */
export function renderStrokes(ctx: StrokeContext, strokes: readonly Stroke[], options: RenderOptions): void {
  const { size } = options;
  const lineWidth = options.lineWidth ?? strokeWidthFor(size);
  const color = options.color ?? '#000';
  ctx.clearRect(0, 0, size, size);
  ctx.lineWidth = lineWidth;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  for (const stroke of strokes) {
    const first = stroke[0];
    if (!first) continue;
    if (stroke.length === 1) {
      ctx.beginPath();
      ctx.arc(first.x * size, first.y * size, lineWidth / 2, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(first.x * size, first.y * size);
    for (let i = 1; i < stroke.length - 1; i++) {
      const p = stroke[i] as (typeof stroke)[number];
      const next = stroke[i + 1] as (typeof stroke)[number];
      ctx.quadraticCurveTo(p.x * size, p.y * size, ((p.x + next.x) / 2) * size, ((p.y + next.y) / 2) * size);
    }
    const last = stroke[stroke.length - 1] as (typeof stroke)[number];
    ctx.lineTo(last.x * size, last.y * size);
    ctx.stroke();
  }
}
