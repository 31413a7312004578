// Live training curves as SVG geometry: pure functions, so the chart component only lays strings out.
import { downsample, formatTick, niceTicks, tickStep } from '@mnist/metrics';

/** A chart's drawing area in SVG units. */
export interface ChartBox {
  width: number;
  height: number;
  /** Room for the y-axis labels on the left and the x-axis labels below. */
  left: number;
  bottom: number;
  top: number;
  right: number;
}

/** Everything the component draws. */
export interface ChartGeometry {
  /** The curve as an SVG path (`M x y L x y …`), empty without points. */
  path: string;
  /** Horizontal grid lines with their labels. */
  yTicks: { y: number; label: string }[];
  /** Epoch boundaries (vertical lines) with the epoch number that starts there. */
  epochs: { x: number; label: string }[];
  /** The last point (the live value), if any. */
  last: { x: number; y: number; value: number } | undefined;
}

/** At most this many points are drawn, however long the run: the shape is kept (LTTB), the DOM stays small. */
export const MAX_CHART_POINTS = 240;

/**
 * Lays out a curve of `(x, y)` points over `0..xMax` horizontally and `yDomain` (or the data's nice range)
 * vertically, with grid lines and epoch boundaries every `xPerEpoch`.
 */
export function chartGeometry(
  points: readonly { x: number; y: number }[],
  options: {
    box: ChartBox;
    xMax: number;
    xPerEpoch: number;
    yDomain?: [number, number];
    format?: (v: number) => string;
  },
): ChartGeometry {
  const { box, xMax, xPerEpoch } = options;
  const finite = points.filter((p) => Number.isFinite(p.y));
  let [y0, y1] = options.yDomain ?? dataDomain(finite);
  if (y1 <= y0) y1 = y0 + 1;
  const ticks = niceTicks(y0, y1, 4);
  if (!options.yDomain && ticks.length > 0) {
    y0 = Math.min(y0, ticks[0] as number);
    y1 = Math.max(y1, ticks[ticks.length - 1] as number);
  }
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const sx = (x: number) => box.left + (xMax > 0 ? (x / xMax) * plotW : 0);
  const sy = (y: number) => box.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const round = (v: number) => Math.round(v * 10) / 10;
  const shown = downsample(finite, MAX_CHART_POINTS);
  const path = shown.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(sx(p.x))} ${round(sy(p.y))}`).join(' ');
  const step = tickStep(y0, y1, 4);
  const format = options.format ?? ((v: number) => formatTick(v, step));
  const epochs: ChartGeometry['epochs'] = [];
  if (xPerEpoch > 0) {
    for (let e = 1; e * xPerEpoch < xMax; e++)
      epochs.push({ x: round(sx(e * xPerEpoch)), label: `epoch ${e + 1}` });
  }
  const lastPoint = finite[finite.length - 1];
  return {
    path,
    yTicks: ticks.filter((t) => t >= y0 && t <= y1).map((t) => ({ y: round(sy(t)), label: format(t) })),
    epochs,
    last: lastPoint
      ? { x: round(sx(lastPoint.x)), y: round(sy(lastPoint.y)), value: lastPoint.y }
      : undefined,
  };
}

function dataDomain(points: readonly { y: number }[]): [number, number] {
  if (points.length === 0) return [0, 1];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    min = Math.min(min, p.y);
    max = Math.max(max, p.y);
  }
  // Losses start high and fall: show from 0 so the fall reads truthfully.
  return [Math.min(0, min), max];
}
