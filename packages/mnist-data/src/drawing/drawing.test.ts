// The pure parts of the drawn-digit pipeline: thinning, tracing, resampling, placement, jitter, low resolution.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_JITTER,
  digitToStrokes,
  fitStrokes,
  jitterStrokes,
  MnistDataError,
  type PathPoint,
  pixelate,
  resampleArea,
  resamplePath,
  strokesBox,
  thinZhangSuen,
  traceSkeleton,
} from '../node.js';

/** Distance from p to the segment a–b. */
function segmentDistance(p: PathPoint, a: PathPoint, b: PathPoint): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

/** Distance from p to a polyline. */
function polylineDistance(p: PathPoint, line: readonly PathPoint[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < line.length; i++) {
    best = Math.min(best, segmentDistance(p, line[i - 1] as PathPoint, line[i] as PathPoint));
  }
  return best;
}

/** A binary image of thick polylines: a pixel is ink when its centre is within `radius` of one of them. */
function rasterise(size: number, lines: readonly (readonly PathPoint[])[], radius: number): Uint8Array {
  const bits = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const centre = { x: x + 0.5, y: y + 0.5 };
      if (lines.some((line) => polylineDistance(centre, line) <= radius)) bits[y * size + x] = 1;
    }
  }
  return bits;
}

/** Skeleton pixels and their 8-neighbour counts. */
function skeletonDegrees(bits: Uint8Array, size: number): number[] {
  const degrees: number[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!bits[y * size + x]) continue;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if ((dx || dy) && nx >= 0 && ny >= 0 && nx < size && ny < size && bits[ny * size + nx]) n++;
        }
      }
      degrees.push(n);
    }
  }
  return degrees;
}

function pathLength(points: readonly PathPoint[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    total += Math.hypot(
      (points[i] as PathPoint).x - (points[i - 1] as PathPoint).x,
      (points[i] as PathPoint).y - (points[i - 1] as PathPoint).y,
    );
  }
  return total;
}

const SIZE = 64;

describe('thinZhangSuen', () => {
  it('thins a thick bar to a one-pixel line along its middle', () => {
    const bits = rasterise(
      SIZE,
      [
        [
          { x: 10, y: 32 },
          { x: 54, y: 32 },
        ],
      ],
      3.5,
    );
    thinZhangSuen(bits, SIZE, SIZE);
    const rows = new Set<number>();
    let count = 0;
    bits.forEach((v, i) => {
      if (v) {
        rows.add(Math.floor(i / SIZE));
        count++;
      }
    });
    expect([...rows].every((r) => Math.abs(r + 0.5 - 32) <= 1)).toBe(true);
    expect(count).toBeGreaterThan(36); // ends shrink by about the radius at most
    expect(skeletonDegrees(bits, SIZE).every((d) => d >= 1 && d <= 2)).toBe(true);
  });

  it('leaves no staircases on diagonals: every pixel of a thick diagonal line has at most two neighbours', () => {
    const bits = rasterise(
      SIZE,
      [
        [
          { x: 8, y: 10 },
          { x: 56, y: 50 },
        ],
      ],
      3,
    );
    thinZhangSuen(bits, SIZE, SIZE);
    const degrees = skeletonDegrees(bits, SIZE);
    expect(degrees.length).toBeGreaterThan(30);
    expect(degrees.filter((d) => d === 1)).toHaveLength(2);
    expect(degrees.every((d) => d <= 2)).toBe(true);
  });

  it('is idempotent and keeps a ring a ring', () => {
    const ring = [...Array(41)].map((_, k) => ({
      x: 32 + 18 * Math.cos((k / 40) * 2 * Math.PI),
      y: 32 + 18 * Math.sin((k / 40) * 2 * Math.PI),
    }));
    const bits = thinZhangSuen(rasterise(SIZE, [ring], 3), SIZE, SIZE);
    const again = thinZhangSuen(bits.slice(), SIZE, SIZE);
    expect(Array.from(again)).toEqual(Array.from(bits));
    expect(skeletonDegrees(bits, SIZE).every((d) => d === 2)).toBe(true);
  });
});

describe('traceSkeleton', () => {
  const trace = (lines: PathPoint[][], radius = 3) =>
    traceSkeleton(thinZhangSuen(rasterise(SIZE, lines, radius), SIZE, SIZE), SIZE, SIZE, { minSpur: 8 });

  it('traces the skeleton of a synthetic stroke back to that stroke', () => {
    const stroke = [
      { x: 12, y: 12 },
      { x: 30, y: 50 },
      { x: 52, y: 20 },
    ];
    const paths = trace([stroke]);
    expect(paths).toHaveLength(1);
    const [path] = paths as [(typeof paths)[number]];
    expect(path.closed).toBe(false);
    // Every traced point lies on the stroke (within 2 px: the skeleton cuts the inside of the sharp corner), and
    // the stroke is covered from end to end (the ends shrink by about the pen radius).
    for (const p of path.points) expect(polylineDistance(p, stroke)).toBeLessThan(2);
    for (const q of resamplePath(stroke, 2)) expect(polylineDistance(q, path.points)).toBeLessThan(4);
    expect(Math.abs(pathLength(path.points) - pathLength(stroke))).toBeLessThan(8);
    // It starts at the top end (smaller y, then x): (12, 12) rather than (52, 20).
    expect(
      Math.hypot((path.points[0] as PathPoint).x - 12, (path.points[0] as PathPoint).y - 12),
    ).toBeLessThan(4);
  });

  it('splits strokes at junctions: a T gives three paths meeting at one point', () => {
    const paths = trace([
      [
        { x: 10, y: 14 },
        { x: 54, y: 14 },
      ],
      [
        { x: 32, y: 14 },
        { x: 32, y: 54 },
      ],
    ]);
    expect(paths).toHaveLength(3);
    const ends = paths.flatMap((p) => [p.points[0] as PathPoint, p.points[p.points.length - 1] as PathPoint]);
    const junction = ends.filter((e) => Math.hypot(e.x - 32, e.y - 14) < 3);
    expect(junction).toHaveLength(3);
    // All three meet at exactly the same point: the junction's centre.
    expect(new Set(junction.map((e) => `${e.x},${e.y}`)).size).toBe(1);
  });

  it('traces a ring as one closed path starting at its top heading left', () => {
    const ring = [...Array(41)].map((_, k) => ({
      x: 32 + 18 * Math.sin((k / 40) * 2 * Math.PI),
      y: 32 - 18 * Math.cos((k / 40) * 2 * Math.PI),
    }));
    const paths = trace([ring]);
    expect(paths).toHaveLength(1);
    const [path] = paths as [(typeof paths)[number]];
    expect(path.closed).toBe(true);
    expect(path.points[0]).toEqual(path.points[path.points.length - 1]);
    const [first, second] = path.points as [PathPoint, PathPoint];
    expect(first.y).toBeLessThan(16);
    expect(second.x).toBeLessThanOrEqual(first.x);
    for (const p of path.points) expect(Math.abs(Math.hypot(p.x - 32, p.y - 32) - 18)).toBeLessThan(1.5);
  });

  it('drops short spurs and joins the paths they split', () => {
    // A long bar with a 3-pixel stub: without pruning three paths, with it one.
    const lines = [
      [
        { x: 8, y: 32 },
        { x: 56, y: 32 },
      ],
      [
        { x: 32, y: 32 },
        { x: 32, y: 27 },
      ],
    ];
    const bits = thinZhangSuen(rasterise(SIZE, lines, 2), SIZE, SIZE);
    expect(traceSkeleton(bits, SIZE, SIZE).length).toBeGreaterThan(1);
    const pruned = traceSkeleton(bits, SIZE, SIZE, { minSpur: 8 });
    expect(pruned).toHaveLength(1);
    expect(pathLength((pruned[0] as (typeof pruned)[number]).points)).toBeGreaterThan(40);
  });

  it('is deterministic, and a mirrored image traces to mirrored paths', () => {
    const lines = [
      [
        { x: 10, y: 10 },
        { x: 40, y: 30 },
        { x: 20, y: 55 },
      ],
      [
        { x: 40, y: 30 },
        { x: 55, y: 12 },
      ],
    ];
    const bits = thinZhangSuen(rasterise(SIZE, lines, 2.5), SIZE, SIZE);
    const once = traceSkeleton(bits, SIZE, SIZE, { minSpur: 8 });
    expect(traceSkeleton(bits.slice(), SIZE, SIZE, { minSpur: 8 })).toEqual(once);
    const mirrored = new Uint8Array(bits.length);
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++) mirrored[y * SIZE + SIZE - 1 - x] = bits[y * SIZE + x] as number;
    const flipped = traceSkeleton(mirrored, SIZE, SIZE, { minSpur: 8 });
    expect(flipped.map((p) => p.points.length).sort()).toEqual(once.map((p) => p.points.length).sort());
  });

  it('keeps an isolated dot as a one-point path', () => {
    const bits = new Uint8Array(9);
    bits[4] = 1;
    expect(traceSkeleton(bits, 3, 3)).toEqual([{ points: [{ x: 1.5, y: 1.5 }], closed: false }]);
  });
});

describe('resamplePath', () => {
  it('spaces points evenly along the path and keeps both ends', () => {
    const line = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
    ];
    const points = resamplePath(line, 2);
    expect(points).toHaveLength(11);
    expect(points[0]).toEqual({ x: 0, y: 0 });
    expect(points[10]).toEqual({ x: 10, y: 10 });
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1] as PathPoint;
      const b = points[i] as PathPoint;
      expect(Math.abs(b.x - a.x) + Math.abs(b.y - a.y)).toBeCloseTo(2, 9);
    }
  });
});

describe('digitToStrokes', () => {
  it('turns a synthetic digit-sized stroke into one stroke in image coordinates', () => {
    const image = new Uint8Array(784);
    for (let y = 4; y < 24; y++) for (let x = 13; x < 16; x++) image[y * 28 + x] = 255;
    const strokes = digitToStrokes(image, 28, 28);
    expect(strokes).toHaveLength(1);
    const box = strokesBox(strokes);
    expect(box?.x0).toBeCloseTo(14.5, 0);
    expect(box?.x1).toBeCloseTo(14.5, 0);
    expect(box?.y0).toBeLessThan(6);
    expect(box?.y1).toBeGreaterThan(22);
    expect(digitToStrokes(image, 28, 28)).toEqual(strokes);
  });

  it('rejects an image whose size does not match', () => {
    expect(() => digitToStrokes(new Uint8Array(10), 28, 28)).toThrow(MnistDataError);
    expect(() => digitToStrokes(new Uint8Array(0), 0, 0)).toThrow(/positive integers/);
  });
});

describe('fitStrokes', () => {
  it('scales the longer side to the extent and centres the box', () => {
    const placed = fitStrokes(
      [
        [
          { x: 10, y: 4 },
          { x: 14, y: 24 },
        ],
      ],
      { extent: 0.5, centerX: 0.3, centerY: 0.6 },
    );
    const box = strokesBox(placed) as { x0: number; y0: number; x1: number; y1: number };
    expect(box.y1 - box.y0).toBeCloseTo(0.5, 12);
    expect(box.x1 - box.x0).toBeCloseTo(0.1, 12);
    expect((box.x0 + box.x1) / 2).toBeCloseTo(0.3, 12);
    expect((box.y0 + box.y1) / 2).toBeCloseTo(0.6, 12);
  });
});

describe('jitterStrokes', () => {
  const strokes = [
    [
      { x: 10, y: 5 },
      { x: 12, y: 12 },
      { x: 14, y: 22 },
    ],
    [
      { x: 6, y: 14 },
      { x: 20, y: 14 },
    ],
  ];

  it('gives the same result for the same seed and another for another seed', () => {
    expect(jitterStrokes(strokes, 7)).toEqual(jitterStrokes(strokes, 7));
    expect(jitterStrokes(strokes, 8)).not.toEqual(jitterStrokes(strokes, 7));
  });

  it('is the identity at zero strength', () => {
    const zero = { rotation: 0, shear: 0, aspect: 0, strokeOffset: 0, wobble: 0, tremor: 0 };
    const same = jitterStrokes(strokes, 3, zero);
    expect(same.flat().length).toBe(strokes.flat().length);
    same.flat().forEach((p, i) => {
      expect(p.x).toBeCloseTo((strokes.flat()[i] as PathPoint).x, 12);
      expect(p.y).toBeCloseTo((strokes.flat()[i] as PathPoint).y, 12);
    });
  });

  it('rotates the whole drawing by at most the rotation asked for', () => {
    const line = [
      [
        { x: 0, y: 0 },
        { x: 0, y: 10 },
      ],
    ];
    const only = {
      ...DEFAULT_JITTER,
      shear: 0,
      aspect: 0,
      strokeOffset: 0,
      wobble: 0,
      tremor: 0,
      rotation: 10,
    };
    let largest = 0;
    for (let seed = 0; seed < 50; seed++) {
      const [[a, b]] = jitterStrokes(line, seed, only) as [[PathPoint, PathPoint]];
      expect(Math.hypot(b.x - a.x, b.y - a.y)).toBeCloseTo(10, 9);
      largest = Math.max(largest, (Math.abs(Math.atan2(b.x - a.x, b.y - a.y)) * 180) / Math.PI);
    }
    expect(largest).toBeLessThanOrEqual(10);
    expect(largest).toBeGreaterThan(7);
  });
});

describe('resampleArea and pixelate', () => {
  it('keeps the mean ink when resampling down and up', () => {
    const src = Uint8Array.from({ length: 30 * 20 }, (_, i) => (i * 37) % 256);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(mean(resampleArea(src, 30, 20, 7, 9))).toBeCloseTo(mean(src), 3);
    expect(mean(resampleArea(src, 30, 20, 61, 45))).toBeCloseTo(mean(src), 3);
    expect(Array.from(resampleArea(src, 30, 20, 30, 20))).toEqual(Array.from(src));
  });

  it('paints each cell of the coarse grid as one solid block', () => {
    const size = 40;
    const src = new Uint8Array(size * size);
    for (let y = 10; y < 30; y++) for (let x = 18; x < 22; x++) src[y * size + x] = 255;
    const blocky = pixelate(src, size, size, 8);
    for (let cy = 0; cy < 8; cy++) {
      for (let cx = 0; cx < 8; cx++) {
        const block = new Set<number>();
        for (let y = cy * 5; y < cy * 5 + 5; y++)
          for (let x = cx * 5; x < cx * 5 + 5; x++) block.add(blocky[y * size + x] as number);
        expect(block.size).toBe(1);
      }
    }
    // The 4-pixel bar straddles two columns of 5-pixel cells: each gets 2/5 of full ink.
    expect(blocky[20 * size + 17]).toBe(Math.round((255 * 2) / 5));
    expect(Array.from(pixelate(src, size, size, size))).toEqual(Array.from(src));
  });

  it('rejects a grid of no cells and a wrong size', () => {
    expect(() => pixelate(new Uint8Array(4), 2, 2, 0)).toThrow(/cells/);
    expect(() => pixelate(new Uint8Array(5), 2, 2, 1)).toThrow(MnistDataError);
  });
});
