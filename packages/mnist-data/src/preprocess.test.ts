import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeDrawing,
  centerOfMass,
  type DrawingAnalysis,
  loadMnist,
  MNIST_CENTER,
  MnistDataError,
  type MnistSplit,
  preprocessDrawing,
} from './node.js';
import { caught, mnistGzDir } from '../test/helpers.js';

type Segment = [x0: number, y0: number, x1: number, y1: number];

/** A grey canvas (0 = black) with white background, and a function drawing thick black strokes on it. */
function canvas(width: number, height: number, background = 255) {
  const pixels = new Uint8Array(width * height).fill(background);
  const stroke = (segments: Segment[], radius: number, ink = 0) => {
    for (const [x0, y0, x1, y1] of segments) {
      const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0)) + 1;
      for (let s = 0; s <= steps; s++) {
        const cx = x0 + ((x1 - x0) * s) / steps;
        const cy = y0 + ((y1 - y0) * s) / steps;
        for (let y = Math.floor(cy - radius); y <= Math.ceil(cy + radius); y++) {
          for (let x = Math.floor(cx - radius); x <= Math.ceil(cx + radius); x++) {
            if (x >= 0 && y >= 0 && x < width && y < height && Math.hypot(x - cx, y - cy) <= radius) {
              pixels[y * width + x] = ink;
            }
          }
        }
      }
    }
  };
  return { pixels, stroke };
}

/** A "7": a bar and a diagonal, in unit coordinates scaled by `size` and moved to (left, top). */
function seven(left: number, top: number, size: number): Segment[] {
  const p = (x: number, y: number): [number, number] => [left + x * size, top + y * size];
  return [
    [...p(0, 0), ...p(0.6, 0)],
    [...p(0.6, 0), ...p(0.2, 1)],
  ];
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

/**
 * Extent of the ink along each axis, counting partly covered rows/columns by their coverage (sub-pixel placement
 * can leave half-inked rows at both ends): Σ over rows of the row's strongest ink, and likewise for columns.
 */
function inkExtent(input: Float32Array): { width: number; height: number } {
  let width = 0;
  let height = 0;
  for (let i = 0; i < 28; i++) {
    let row = 0;
    let col = 0;
    for (let j = 0; j < 28; j++) {
      row = Math.max(row, input[i * 28 + j] as number);
      col = Math.max(col, input[j * 28 + i] as number);
    }
    height += row;
    width += col;
  }
  return { width, height };
}

function expectCentred(analysis: DrawingAnalysis | null): asserts analysis is DrawingAnalysis {
  expect(analysis).not.toBeNull();
  const com = centerOfMass((analysis as DrawingAnalysis).input, 28, 28);
  expect(Math.abs((com?.x ?? 99) - MNIST_CENTER)).toBeLessThan(0.5);
  expect(Math.abs((com?.y ?? 99) - MNIST_CENTER)).toBeLessThan(0.5);
}

describe('centerOfMass convention', () => {
  it('uses array-index coordinates: pixel (col, row) is the point (col, row)', () => {
    const image = new Uint8Array(28 * 28);
    image[5 * 28 + 3] = 200;
    expect(centerOfMass(image, 28, 28)).toEqual({ x: 3, y: 5 });
    image[5 * 28 + 4] = 200;
    expect(centerOfMass(image, 28, 28)).toEqual({ x: 3.5, y: 5 });
    expect(centerOfMass(new Uint8Array(4), 2, 2)).toBeNull();
  });
});

describe('preprocessDrawing', () => {
  it('a shape drawn off-centre and at another scale lands centred and looks the same', () => {
    const small = canvas(300, 200);
    small.stroke(seven(20, 15, 60), 5);
    const big = canvas(400, 400);
    big.stroke(seven(180, 120, 240), 20);
    const a = analyzeDrawing(small.pixels, 300, 200);
    const b = analyzeDrawing(big.pixels, 400, 400);
    expectCentred(a);
    expectCentred(b);
    // Sub-pixel placement: far tighter than the half pixel required.
    expect(Math.abs(a.centerOfMass.x - 14)).toBeLessThan(0.05);
    expect(Math.abs(a.centerOfMass.y - 14)).toBeLessThan(0.05);
    expect(a.inverted).toBe(true);
    // The longer side (the height of this "7") is scaled to 20 px.
    expect(a.boundingBox.height).toBeGreaterThan(a.boundingBox.width);
    expect(a.boundingBox.height * a.scale).toBeCloseTo(20, 5);
    expect(cosine(a.input, b.input)).toBeGreaterThan(0.9);
    // Values are in [0, 1] and strokes reach full ink.
    expect(Math.min(...a.input)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.input)).toBeCloseTo(1, 5);
    expect(a.input.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('keeps the aspect ratio: a 1:4 bar stays 1:4 with its long side 20 px', () => {
    const tall = canvas(280, 280);
    for (let y = 40; y < 200; y++) for (let x = 100; x < 140; x++) tall.pixels[y * 280 + x] = 0;
    const tallBox = inkExtent(preprocessDrawing(tall.pixels, 280, 280) as Float32Array);
    expect(tallBox.height).toBeCloseTo(20, 1);
    expect(tallBox.width).toBeCloseTo(5, 1);

    const wide = canvas(280, 280);
    for (let y = 200; y < 240; y++) for (let x = 10; x < 170; x++) wide.pixels[y * 280 + x] = 0;
    const wideBox = inkExtent(preprocessDrawing(wide.pixels, 280, 280) as Float32Array);
    expect(wideBox.width).toBeCloseTo(20, 1);
    expect(wideBox.height).toBeCloseTo(5, 1);
  });

  it('reports an empty drawing as null, never NaN', () => {
    expect(preprocessDrawing(new Uint8Array(100 * 80).fill(255), 100, 80)).toBeNull();
    expect(preprocessDrawing(new Uint8Array(100 * 80), 100, 80)).toBeNull();
    expect(preprocessDrawing(new Uint8Array(50 * 50).fill(128), 50, 50)).toBeNull();
    expect(preprocessDrawing(new Uint8ClampedArray(64 * 64 * 4), 64, 64)).toBeNull();
    const white = new Uint8ClampedArray(64 * 64 * 4).fill(255);
    expect(preprocessDrawing(white, 64, 64)).toBeNull();
  });

  it('gives the same result for RGBA and grey input, dark-on-light and light-on-dark, opaque or transparent', () => {
    const { pixels, stroke } = canvas(200, 200);
    stroke(seven(50, 40, 110), 9);
    const grey = analyzeDrawing(pixels, 200, 200);
    expectCentred(grey);
    expect(grey.inverted).toBe(true);

    const n = 200 * 200;
    const opaque = new Uint8ClampedArray(n * 4);
    const negative = new Uint8Array(n);
    const transparent = new Uint8ClampedArray(n * 4);
    for (let i = 0; i < n; i++) {
      const v = pixels[i] as number;
      opaque.set([v, v, v, 255], i * 4);
      negative[i] = 255 - v;
      // Blue strokes on a transparent canvas: the ink is the alpha channel.
      transparent.set([0, 0, 255, 255 - v], i * 4);
    }
    const fromOpaque = analyzeDrawing(opaque, 200, 200);
    const fromNegative = analyzeDrawing(negative, 200, 200);
    const fromTransparent = analyzeDrawing(transparent, 200, 200);
    expect(fromOpaque?.inverted).toBe(true);
    expect(fromNegative?.inverted).toBe(false);
    expect(fromTransparent?.inkSource).toBe('alpha');
    for (const other of [fromOpaque, fromNegative, fromTransparent]) {
      expectCentred(other);
      expect(cosine(other.input, grey.input)).toBeGreaterThan(0.999);
    }
  });

  it('handles a grey paper background and honours an explicit invert', () => {
    const { pixels, stroke } = canvas(150, 150, 200);
    stroke(seven(30, 20, 100), 7, 40);
    const result = analyzeDrawing(pixels, 150, 150);
    expectCentred(result);
    expect(result.inverted).toBe(true);
    // The paper becomes zero ink: only the stroke area is inked.
    expect(result.input.filter((v) => v > 0.05).length).toBeLessThan(300);
    expect(analyzeDrawing(pixels, 150, 150, { invert: false })?.inverted).toBe(false);
  });

  it('rejects sizes that do not match the pixels with BAD_INPUT', async () => {
    for (const fn of [
      () => preprocessDrawing(new Uint8Array(10), 3, 3),
      () => preprocessDrawing(new Uint8Array(0), 0, 0),
      () => preprocessDrawing(new Uint8Array(9), 3, 3, { channels: 4 }),
    ]) {
      const e = await caught(fn);
      expect(e).toBeInstanceOf(MnistDataError);
      expect((e as MnistDataError).code).toBe('BAD_INPUT');
    }
  });
});

describe('preprocessing real MNIST digits upscaled to a 280×280 canvas', () => {
  let test: MnistSplit;
  beforeAll(async () => {
    ({ test } = await loadMnist({ dir: mnistGzDir(), sources: ['dir'] }));
  });

  it('gives back images close to the originals (MNIST was made by the same steps)', () => {
    const similarities: number[] = [];
    for (let i = 0; i < 100; i++) {
      const original = test.image(i);
      // Black ink on white paper, 10× nearest-neighbour, like a canvas drawing.
      const drawing = new Uint8ClampedArray(280 * 280 * 4);
      for (let y = 0; y < 280; y++) {
        for (let x = 0; x < 280; x++) {
          const v = 255 - (original[Math.floor(y / 10) * 28 + Math.floor(x / 10)] as number);
          drawing.set([v, v, v, 255], (y * 280 + x) * 4);
        }
      }
      const result = analyzeDrawing(drawing, 280, 280);
      expectCentred(result);
      similarities.push(cosine(result.input, test.normalized(i)));
    }
    const mean = similarities.reduce((s, v) => s + v, 0) / similarities.length;
    expect(mean).toBeGreaterThan(0.95);
    expect(Math.min(...similarities)).toBeGreaterThan(0.85);
  });
});
