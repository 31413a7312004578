// Turns an MNIST image into pen strokes, so tests can "draw" real handwritten digits with a mouse: upscale,
// threshold, thin to a one-pixel skeleton (Zhang-Suen), then walk the skeleton into polylines.
import { SIDE } from '@mnist/models';

/** A stroke as points in the 28×28 image's continuous coordinates (0..28). */
export type TracedStroke = { x: number; y: number }[];

/** Bilinear upscaling of a 28×28 byte image by an integer factor, sampling at pixel centres. */
export function upscale(pixels: ArrayLike<number>, factor: number): Float32Array {
  const n = SIDE * factor;
  const out = new Float32Array(n * n);
  const at = (c: number, r: number) =>
    c < 0 || r < 0 || c >= SIDE || r >= SIDE ? 0 : (pixels[r * SIDE + c] as number);
  for (let y = 0; y < n; y++) {
    const sy = (y + 0.5) / factor - 0.5;
    const r0 = Math.floor(sy);
    const fy = sy - r0;
    for (let x = 0; x < n; x++) {
      const sx = (x + 0.5) / factor - 0.5;
      const c0 = Math.floor(sx);
      const fx = sx - c0;
      out[y * n + x] =
        at(c0, r0) * (1 - fx) * (1 - fy) +
        at(c0 + 1, r0) * fx * (1 - fy) +
        at(c0, r0 + 1) * (1 - fx) * fy +
        at(c0 + 1, r0 + 1) * fx * fy;
    }
  }
  return out;
}

/** Zhang-Suen thinning of a binary image (1 = ink), in place; returns it. */
export function thin(bits: Uint8Array, width: number, height: number): Uint8Array {
  const get = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : (bits[y * width + x] as number);
  let changed = true;
  while (changed) {
    changed = false;
    for (const pass of [0, 1]) {
      const remove: number[] = [];
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (!get(x, y)) continue;
          // Neighbours P2..P9 clockwise from north.
          const p = [
            get(x, y - 1),
            get(x + 1, y - 1),
            get(x + 1, y),
            get(x + 1, y + 1),
            get(x, y + 1),
            get(x - 1, y + 1),
            get(x - 1, y),
            get(x - 1, y - 1),
          ];
          const b = p.reduce((s, v) => s + v, 0);
          if (b < 2 || b > 6) continue;
          let a = 0;
          for (let i = 0; i < 8; i++) if (p[i] === 0 && p[(i + 1) % 8] === 1) a++;
          if (a !== 1) continue;
          const [p2, , p4, , p6, , p8] = p as [
            number,
            number,
            number,
            number,
            number,
            number,
            number,
            number,
          ];
          if (
            pass === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0
          ) {
            remove.push(y * width + x);
          }
        }
      }
      for (const i of remove) bits[i] = 0;
      if (remove.length > 0) changed = true;
    }
  }
  return bits;
}

const NEIGHBOURS: readonly [number, number][] = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [0, -1],
  [1, 1],
  [-1, 1],
  [-1, -1],
  [1, -1],
];

/**
 * Walks a one-pixel skeleton into polylines: from endpoints first (so strokes start where a pen would), preferring
 * the neighbour that keeps the current direction, then any loops left (a 0 has no endpoint).
 */
export function traceSkeleton(bits: Uint8Array, width: number, height: number): { x: number; y: number }[][] {
  const on = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < height && bits[y * width + x] === 1;
  const visited = new Uint8Array(bits.length);
  const free = (x: number, y: number) => on(x, y) && !visited[y * width + x];
  const degree = (x: number, y: number) => NEIGHBOURS.filter(([dx, dy]) => on(x + dx, y + dy)).length;
  const strokes: { x: number; y: number }[][] = [];
  const walk = (sx: number, sy: number) => {
    const path = [{ x: sx, y: sy }];
    visited[sy * width + sx] = 1;
    let [x, y, dx, dy] = [sx, sy, 0, 0];
    for (;;) {
      let best: [number, number] | undefined;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (const [nx, ny] of NEIGHBOURS) {
        if (!free(x + nx, y + ny)) continue;
        const score = nx * dx + ny * dy - (Math.abs(nx) + Math.abs(ny)) * 0.1; // straight on, then 4-neighbours
        if (score > bestScore) {
          bestScore = score;
          best = [nx, ny];
        }
      }
      if (!best) break;
      [dx, dy] = best;
      x += dx;
      y += dy;
      visited[y * width + x] = 1;
      path.push({ x, y });
    }
    if (path.length > 1) strokes.push(path);
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) if (free(x, y) && degree(x, y) === 1) walk(x, y);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (free(x, y)) walk(x, y);
  return strokes;
}

/** Keeps every `step`-th point (and the last) of a polyline: fewer mouse events, same shape at this scale. */
function decimate<T>(points: readonly T[], step: number): T[] {
  const out = points.filter((_, i) => i % step === 0);
  const last = points[points.length - 1];
  if (last !== undefined && out[out.length - 1] !== last) out.push(last);
  return out;
}

/**
 * Strokes that redraw a 28×28 MNIST image (bytes 0..255), in the image's coordinates (0..28). Short spurs that
 * thinning leaves at stroke ends are dropped when the image has longer strokes.
 */
export function imageToStrokes(
  pixels: ArrayLike<number>,
  options: { factor?: number; threshold?: number } = {},
): TracedStroke[] {
  const factor = options.factor ?? 4;
  const n = SIDE * factor;
  const grey = upscale(pixels, factor);
  const bits = new Uint8Array(n * n);
  const threshold = options.threshold ?? 110;
  for (let i = 0; i < bits.length; i++) bits[i] = (grey[i] as number) >= threshold ? 1 : 0;
  thin(bits, n, n);
  const paths = traceSkeleton(bits, n, n);
  const longest = Math.max(0, ...paths.map((p) => p.length));
  return paths
    .filter((p) => p.length >= Math.min(longest, factor * 2))
    .map((p) => decimate(p, 3).map(({ x, y }) => ({ x: (x + 0.5) / factor, y: (y + 0.5) / factor })));
}
