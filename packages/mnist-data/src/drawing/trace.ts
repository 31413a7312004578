// From a digit image to pen strokes: upscale, threshold, thin to a skeleton, walk the skeleton into paths between
// its end points and junctions, drop the short spurs thinning leaves, and resample each path like pointer events.
import { MnistDataError } from '../errors.js';
import { neighbourMask, RING, thinZhangSuen } from './skeleton.js';

/** A point in pixel coordinates (continuous: pixel (c, r) covers [c, c+1] × [r, r+1]). */
export interface PathPoint {
  x: number;
  y: number;
}

/** One traced path of a skeleton. */
export interface SkeletonPath {
  /** Points along the path, in order; a closed path repeats its first point at the end. */
  points: PathPoint[];
  /** True for a loop (e.g. a 0 drawn in one go): it starts and ends at the same point. */
  closed: boolean;
}

/** An edge of the skeleton graph: pixel indices from one node to another (or around a loop). */
interface Edge {
  pixels: number[];
  from: number;
  to: number;
  removed: boolean;
}

/**
 * Walks a one-pixel-wide 8-connected skeleton (as {@link thinZhangSuen} leaves it) into paths: pixels with one
 * neighbour are end points, touching pixels with three or more form one junction each, and every path runs from a
 * node to a node without passing one, so strokes are split at junctions. Loops without a node become closed
 * paths. Spurs (end point to junction) shorter than `minSpur` pixels are dropped, and a junction left with two
 * paths joins them. Points sit at pixel centres ((c + 0.5, r + 0.5)), junctions at the centre of their pixels.
 *
 * Deterministic and independent of drawing order: each path starts at its end with the smaller y (then x); a loop
 * starts at its top-left point heading left; paths are sorted by start point, then by length (longest first).
 */
export function traceSkeleton(
  bits: Uint8Array,
  width: number,
  height: number,
  options: { minSpur?: number } = {},
): SkeletonPath[] {
  const minSpur = options.minSpur ?? 0;
  const on = (i: number) => bits[i] !== 0;
  const degree = new Uint8Array(bits.length);
  const masks = new Uint8Array(bits.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!on(i)) continue;
      const mask = neighbourMask(bits, width, height, x, y);
      masks[i] = mask;
      let n = 0;
      for (let m = mask; m !== 0; m &= m - 1) n++;
      degree[i] = n;
    }
  }
  const isNode = (i: number) => on(i) && degree[i] !== 2;
  const neighbours = (i: number): number[] => {
    const x = i % width;
    const y = (i - x) / width;
    const out: number[] = [];
    for (let k = 0; k < 8; k++) {
      if ((masks[i] as number) & (1 << k)) {
        const [dx, dy] = RING[k] as readonly [number, number];
        out.push((y + dy) * width + x + dx);
      }
    }
    return out;
  };

  // Nodes: each end point alone, each 8-connected group of junction pixels together.
  const nodeOf = new Int32Array(bits.length).fill(-1);
  const nodePixels: number[][] = [];
  for (let i = 0; i < bits.length; i++) {
    if (!isNode(i) || nodeOf[i] !== -1) continue;
    const id = nodePixels.length;
    const group = [i];
    nodeOf[i] = id;
    if ((degree[i] as number) >= 3) {
      for (let k = 0; k < group.length; k++) {
        for (const j of neighbours(group[k] as number)) {
          if (nodeOf[j] === -1 && (degree[j] as number) >= 3) {
            nodeOf[j] = id;
            group.push(j);
          }
        }
      }
    }
    nodePixels.push(group);
  }

  // Edges: from every node pixel along every way out that is not yet walked.
  const edges: Edge[] = [];
  const walked = new Uint8Array(bits.length);
  const joined = new Set<string>();
  for (let id = 0; id < nodePixels.length; id++) {
    for (const start of nodePixels[id] as number[]) {
      for (const first of neighbours(start)) {
        const firstNode = nodeOf[first] as number;
        if (firstNode === id) continue;
        if (firstNode >= 0) {
          // Two nodes touching: a path of two pixels, walked once.
          const key = `${Math.min(start, first)}:${Math.max(start, first)}`;
          if (joined.has(key)) continue;
          joined.add(key);
          edges.push({ pixels: [start, first], from: id, to: firstNode, removed: false });
          continue;
        }
        if (walked[first]) continue;
        const pixels = [start, first];
        walked[first] = 1;
        let previous = start;
        let current = first;
        for (;;) {
          const next = neighbours(current).find((j) => j !== previous && (nodeOf[j] !== -1 || !walked[j]));
          if (next === undefined) break; // cannot happen on a clean skeleton; ends the path safely
          pixels.push(next);
          if (nodeOf[next] !== -1) break;
          walked[next] = 1;
          previous = current;
          current = next;
        }
        const last = pixels[pixels.length - 1] as number;
        edges.push({
          pixels,
          from: id,
          to: nodeOf[last] === -1 ? -1 : (nodeOf[last] as number),
          removed: false,
        });
      }
    }
  }

  const paths: { pixels: number[]; closed: boolean }[] = [];
  pruneAndJoin(edges, nodePixels, degree, minSpur);
  for (const edge of edges) {
    if (!edge.removed) paths.push({ pixels: edge.pixels, closed: edge.from === edge.to && edge.from >= 0 });
  }
  // Isolated dots.
  for (const group of nodePixels) {
    if (group.length === 1 && degree[group[0] as number] === 0)
      paths.push({ pixels: [group[0] as number], closed: false });
  }
  // Loops with no node at all (a clean 0).
  for (let i = 0; i < bits.length; i++) {
    if (!on(i) || walked[i] || nodeOf[i] !== -1) continue;
    const pixels = [i];
    walked[i] = 1;
    let previous = -1;
    let current = i;
    for (;;) {
      const next = neighbours(current).find((j) => j !== previous && !walked[j]);
      if (next === undefined) break;
      pixels.push(next);
      walked[next] = 1;
      previous = current;
      current = next;
    }
    pixels.push(i);
    paths.push({ pixels, closed: true });
  }

  const centre = (pixels: number[]): PathPoint => {
    let sx = 0;
    let sy = 0;
    for (const p of pixels) {
      sx += (p % width) + 0.5;
      sy += Math.floor(p / width) + 0.5;
    }
    return { x: sx / pixels.length, y: sy / pixels.length };
  };
  const point = (p: number): PathPoint => {
    const node = nodeOf[p] as number;
    if (node >= 0 && (nodePixels[node] as number[]).length > 1) return centre(nodePixels[node] as number[]);
    return { x: (p % width) + 0.5, y: Math.floor(p / width) + 0.5 };
  };
  const result = paths.map(({ pixels, closed }) => {
    const points: PathPoint[] = [];
    for (const p of pixels) {
      const q = point(p);
      const last = points[points.length - 1];
      if (last === undefined || last.x !== q.x || last.y !== q.y) points.push(q);
    }
    return orient({ points, closed: closed && points.length > 2 });
  });
  return result.sort(
    (a, b) =>
      (a.points[0] as PathPoint).y - (b.points[0] as PathPoint).y ||
      (a.points[0] as PathPoint).x - (b.points[0] as PathPoint).x ||
      b.points.length - a.points.length ||
      compareLexicographic(a.points, b.points),
  );
}

/** Drops short spurs, then joins the two paths of every junction left with exactly two, until nothing changes. */
function pruneAndJoin(edges: Edge[], nodePixels: number[][], degree: Uint8Array, minSpur: number): void {
  const isEnd = (node: number) => node >= 0 && degree[(nodePixels[node] as number[])[0] as number] === 1;
  const incident = (node: number) => edges.filter((e) => !e.removed && (e.from === node || e.to === node));
  const junctionDegree = (node: number) =>
    incident(node).reduce((n, e) => n + (e.from === node ? 1 : 0) + (e.to === node ? 1 : 0), 0);
  let changed = true;
  while (changed) {
    changed = false;
    // A spur joins an end point to a junction that has at least two other ways on.
    for (const edge of edges) {
      if (edge.removed || edge.pixels.length >= minSpur) continue;
      const [end, junction] = isEnd(edge.from) ? [edge.from, edge.to] : [edge.to, edge.from];
      if (!isEnd(end) || junction < 0 || isEnd(junction) || junctionDegree(junction) < 3) continue;
      edge.removed = true;
      changed = true;
    }
    for (let node = 0; node < nodePixels.length; node++) {
      if (isEnd(node)) continue;
      const ways = incident(node);
      if (ways.length !== 2 || junctionDegree(node) !== 2) continue;
      const [a, b] = ways as [Edge, Edge];
      const first = a.to === node ? a.pixels : [...a.pixels].reverse();
      const second = b.from === node ? b.pixels : [...b.pixels].reverse();
      edges.push({
        pixels: [...first, ...second.slice(1)],
        from: a.to === node ? a.from : a.to,
        to: b.from === node ? b.to : b.from,
        removed: false,
      });
      a.removed = true;
      b.removed = true;
      changed = true;
    }
  }
}

/** Starts an open path at its top (then left) end; rotates a loop to its top-left point, heading left. */
function orient(path: SkeletonPath): SkeletonPath {
  const { points } = path;
  const before = (a: PathPoint, b: PathPoint) => a.y < b.y || (a.y === b.y && a.x < b.x);
  if (!path.closed) {
    const first = points[0] as PathPoint;
    const last = points[points.length - 1] as PathPoint;
    return before(last, first) ? { points: [...points].reverse(), closed: false } : path;
  }
  const ring = points.slice(0, -1);
  let start = 0;
  for (let i = 1; i < ring.length; i++) if (before(ring[i] as PathPoint, ring[start] as PathPoint)) start = i;
  let rotated = [...ring.slice(start), ...ring.slice(0, start)];
  const next = rotated[1] as PathPoint;
  const previous = rotated[rotated.length - 1] as PathPoint;
  if (previous.x < next.x || (previous.x === next.x && previous.y < next.y)) {
    rotated = [rotated[0] as PathPoint, ...rotated.slice(1).reverse()];
  }
  return { points: [...rotated, rotated[0] as PathPoint], closed: true };
}

function compareLexicographic(a: PathPoint[], b: PathPoint[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] as PathPoint).y - (b[i] as PathPoint).y || (a[i] as PathPoint).x - (b[i] as PathPoint).x;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Resamples a path at equal arc-length steps of about `spacing` (the first and last points kept), as a pen moved
 * at constant speed would report it.
 */
export function resamplePath(points: readonly PathPoint[], spacing: number): PathPoint[] {
  if (points.length < 2) return points.map((p) => ({ ...p }));
  const lengths = [0];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as PathPoint;
    const b = points[i] as PathPoint;
    lengths.push((lengths[i - 1] as number) + Math.hypot(b.x - a.x, b.y - a.y));
  }
  const total = lengths[lengths.length - 1] as number;
  const steps = Math.max(1, Math.round(total / spacing));
  const out: PathPoint[] = [];
  let segment = 1;
  for (let s = 0; s <= steps; s++) {
    const at = (total * s) / steps;
    while (segment < points.length - 1 && (lengths[segment] as number) < at) segment++;
    const a = points[segment - 1] as PathPoint;
    const b = points[segment] as PathPoint;
    const span = (lengths[segment] as number) - (lengths[segment - 1] as number);
    const t = span > 0 ? Math.min(1, Math.max(0, (at - (lengths[segment - 1] as number)) / span)) : 0;
    out.push({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
  }
  return out;
}

/** Options of {@link digitToStrokes}. */
export interface DigitToStrokesOptions {
  /** Upscaling factor before thinning; a finer grid gives a smoother skeleton (default 4). */
  factor?: number;
  /** Grey level (0..255, after bilinear upscaling) from which a pixel counts as ink (default 110). */
  threshold?: number;
  /** Spurs shorter than this, in image pixels, are dropped (default 2; 3 loses real short strokes more often). */
  minSpur?: number;
  /** Distance between consecutive stroke points, in image pixels (default 1). */
  spacing?: number;
}

/**
 * Pen strokes that redraw a grey digit image (bytes 0..255, ink bright, e.g. an MNIST image): bilinear upscaling
 * by `factor`, threshold, {@link thinZhangSuen}, {@link traceSkeleton} (split at junctions, spurs pruned) and
 * {@link resamplePath}. Points are in the image's continuous pixel coordinates (0..width, 0..height).
 * Deterministic.
 *
 * @throws {@link MnistDataError} `BAD_INPUT` if the size does not match the pixels.
 */
export function digitToStrokes(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  options: DigitToStrokesOptions = {},
): PathPoint[][] {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new MnistDataError(
      'BAD_INPUT',
      `digitToStrokes: size must be positive integers, got ${width}×${height}.`,
    );
  }
  if (pixels.length !== width * height) {
    throw new MnistDataError(
      'BAD_INPUT',
      `digitToStrokes: a ${width}×${height} image needs ${width * height} grey values, got ${pixels.length}.`,
    );
  }
  const factor = options.factor ?? 4;
  const threshold = options.threshold ?? 110;
  const w = width * factor;
  const h = height * factor;
  const grey = upscaleBilinear(pixels, width, height, factor);
  const bits = new Uint8Array(w * h);
  for (let i = 0; i < bits.length; i++) bits[i] = (grey[i] as number) >= threshold ? 1 : 0;
  thinZhangSuen(bits, w, h);
  const paths = traceSkeleton(bits, w, h, { minSpur: (options.minSpur ?? 2) * factor });
  const spacing = (options.spacing ?? 1) * factor;
  return paths.map(({ points }) =>
    resamplePath(points, spacing).map((p) => ({ x: p.x / factor, y: p.y / factor })),
  );
}

/** Bilinear upscaling by an integer factor, sampling at pixel centres, zero outside the image. */
export function upscaleBilinear(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  factor: number,
): Float32Array {
  const w = width * factor;
  const h = height * factor;
  const out = new Float32Array(w * h);
  const at = (c: number, r: number) =>
    c < 0 || r < 0 || c >= width || r >= height ? 0 : (pixels[r * width + c] as number);
  for (let y = 0; y < h; y++) {
    const sy = (y + 0.5) / factor - 0.5;
    const r0 = Math.floor(sy);
    const fy = sy - r0;
    for (let x = 0; x < w; x++) {
      const sx = (x + 0.5) / factor - 0.5;
      const c0 = Math.floor(sx);
      const fx = sx - c0;
      out[y * w + x] =
        at(c0, r0) * (1 - fx) * (1 - fy) +
        at(c0 + 1, r0) * fx * (1 - fy) +
        at(c0, r0 + 1) * (1 - fx) * fy +
        at(c0 + 1, r0 + 1) * fx * fy;
    }
  }
  return out;
}
