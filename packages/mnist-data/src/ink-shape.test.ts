import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeDrawing,
  inkShape,
  loadMnist,
  MAX_INK_DEPTH,
  MnistDataError,
  type MnistSplit,
} from './node.js';
import { caught, mnistGzDir } from '../test/helpers.js';

/** A 280×280 white canvas with black discs of `radius` along the segments, as a pen would leave them. */
function drawn(segments: [number, number, number, number][], radius: number): Uint8Array {
  const side = 280;
  const pixels = new Uint8Array(side * side).fill(255);
  for (const [x0, y0, x1, y1] of segments) {
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0)) + 1;
    for (let s = 0; s <= steps; s++) {
      const cx = x0 + ((x1 - x0) * s) / steps;
      const cy = y0 + ((y1 - y0) * s) / steps;
      for (let y = Math.max(0, Math.floor(cy - radius)); y <= Math.min(side - 1, cy + radius); y++) {
        for (let x = Math.max(0, Math.floor(cx - radius)); x <= Math.min(side - 1, cx + radius); x++) {
          if (Math.hypot(x - cx, y - cy) <= radius) pixels[y * side + x] = 0;
        }
      }
    }
  }
  return pixels;
}

function shapeOf(pixels: Uint8Array, side: number) {
  const analysis = analyzeDrawing(pixels, side, side);
  if (analysis === null) throw new Error('expected ink');
  return analysis.shape;
}

describe('inkShape', () => {
  let train: MnistSplit;
  let test: MnistSplit;
  beforeAll(async () => {
    ({ train, test } = await loadMnist({ dir: mnistGzDir(), sources: ['dir'] }));
  });

  it('measures every MNIST digit as strokes: the limit is the deepest ink of its 70,000 digits', () => {
    const depths = new Map<number, number>();
    const solidDigits: number[] = [];
    for (const split of [train, test]) {
      for (let i = 0; i < split.count; i++) {
        const { depth, solid } = inkShape(Float32Array.from(split.image(i), (v) => v / 255));
        if (solid) solidDigits.push(i);
        depths.set(depth, (depths.get(depth) ?? 0) + 1);
      }
    }
    expect(solidDigits).toEqual([]);
    expect(Math.max(...depths.keys())).toBe(MAX_INK_DEPTH);
    // Three bold training digits reach it; 99.9% are at most 6 deep.
    expect(depths.get(MAX_INK_DEPTH)).toBe(3);
    let atMost6 = 0;
    for (const [depth, count] of depths) if (depth <= 6) atMost6 += count;
    expect(atMost6 / 70_000).toBeGreaterThan(0.999);
  });

  it('keeps MNIST test digits strokes after the drawing preprocessing too', () => {
    let solid = 0;
    for (let i = 0; i < test.count; i++) if (shapeOf(test.image(i), 28).solid) solid++;
    expect(solid).toBe(0);
  });

  it('calls one ink pixel, a dot, a filled square and a checkerboard solid blobs', () => {
    const pixel = new Uint8Array(28 * 28);
    pixel[10 * 28 + 12] = 255;
    const checkerboard = Uint8Array.from({ length: 28 * 28 }, (_, i) =>
      ((i % 28) + Math.floor(i / 28)) % 2 === 0 ? 255 : 0,
    );
    const square = new Uint8Array(28 * 28);
    for (let r = 6; r < 22; r++) for (let c = 6; c < 22; c++) square[r * 28 + c] = 255;
    for (const [name, pixels] of [
      ['one pixel', pixel],
      ['checkerboard', checkerboard],
      ['filled square', square],
    ] as const) {
      const shape = shapeOf(pixels, 28);
      expect(shape.solid, name).toBe(true);
      // 10 for a filled 20-pixel square; anti-aliased edges at half ink can add a ring.
      expect(shape.depth, name).toBeGreaterThanOrEqual(10);
      expect(shape.depth, name).toBeLessThanOrEqual(11);
    }
    // A tap of a round pen: a disc 20 pixels across once scaled.
    const dot = shapeOf(drawn([[140, 140, 140, 140]], 12), 280);
    expect(dot.solid).toBe(true);
    expect(dot.depth).toBeGreaterThanOrEqual(9);
  });

  it('calls drawn digits strokes, thin and bold pens alike, and a short dash too', () => {
    const seven: [number, number, number, number][] = [
      [60, 40, 220, 40],
      [220, 40, 110, 250],
    ];
    for (const radius of [4, 10, 22]) {
      const shape = shapeOf(drawn(seven, radius), 280);
      expect(shape.solid, `pen radius ${radius}`).toBe(false);
      expect(shape.depth, `pen radius ${radius}`).toBeGreaterThan(0);
      expect(shape.depth, `pen radius ${radius}`).toBeLessThanOrEqual(radius === 22 ? 5 : 2);
    }
    const one = shapeOf(drawn([[140, 100, 140, 160]], 12), 280);
    expect(one.solid).toBe(false);
  });

  it('measures an empty input as width 0 and refuses anything but 784 values', async () => {
    expect(inkShape(new Float32Array(784))).toEqual({ area: 0, depth: 0, solid: false });
    const error = await caught(() => inkShape(new Float32Array(100)));
    expect(error).toBeInstanceOf(MnistDataError);
    expect((error as MnistDataError).code).toBe('BAD_INPUT');
    expect((error as Error).message).toContain('got 100 values');
  });
});
