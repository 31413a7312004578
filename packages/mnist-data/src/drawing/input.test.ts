// The stroke renderer and the strokes-to-model-input path on a real 2D canvas (@napi-rs/canvas, Skia), with real
// MNIST test digits traced into strokes and redrawn.
import { createCanvas } from '@napi-rs/canvas';
import { correlation } from '@mnist/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CanvasFactory,
  centerOfMass,
  createInputRenderer,
  digitToStrokes,
  fitStrokes,
  inkCoverage,
  loadMnist,
  type MnistSplit,
  pixelate,
  type ReadableStrokeContext,
  renderStrokes,
  type Stroke,
} from '../node.js';
import { mnistGzDir } from '../../test/helpers.js';

const skia: CanvasFactory = (w, h) => createCanvas(w, h) as unknown as ReturnType<CanvasFactory>;

const bar: Stroke[] = [
  [
    { x: 0.5, y: 0.2 },
    { x: 0.5, y: 0.8 },
  ],
];

describe('renderStrokes on a canvas', () => {
  it('paints the same pixels every time', () => {
    const paint = () => {
      const ctx = skia(100, 100).getContext('2d') as ReadableStrokeContext;
      renderStrokes(
        ctx,
        [
          ...bar,
          [{ x: 0.2, y: 0.3 }],
          [
            { x: 0.1, y: 0.9 },
            { x: 0.4, y: 0.7 },
            { x: 0.9, y: 0.95 },
          ],
        ],
        {
          size: 100,
        },
      );
      return inkCoverage(ctx.getImageData(0, 0, 100, 100));
    };
    const once = paint();
    expect(once.some((v) => v === 255)).toBe(true);
    expect(Buffer.from(paint()).equals(Buffer.from(once))).toBe(true);
  });
});

describe('createInputRenderer', () => {
  it('makes a centred 20-pixel-tall input of a bar at any canvas size and pen width', () => {
    for (const options of [{}, { size: 112 }, { size: 560, lineWidth: 10 }]) {
      const input = createInputRenderer(skia, options)(bar) as Float32Array;
      expect(input).toHaveLength(784);
      let top = 28;
      let bottom = -1;
      input.forEach((v, i) => {
        if (v > 0.05) {
          top = Math.min(top, Math.floor(i / 28));
          bottom = Math.max(bottom, Math.floor(i / 28));
        }
      });
      expect(bottom - top + 1).toBeGreaterThanOrEqual(20);
      expect(bottom - top + 1).toBeLessThanOrEqual(21);
      expect(centerOfMass(input, 28, 28)?.y).toBeCloseTo(14, 1);
    }
  });

  it('applies a coverage transform before preprocessing', () => {
    const sizes: number[] = [];
    const toInput = createInputRenderer(skia, {
      size: 140,
      transformCoverage: (coverage, size) => {
        sizes.push(size, coverage.length);
        return pixelate(coverage, size, size, 4);
      },
    });
    const blocky = toInput(bar) as Float32Array;
    const plain = createInputRenderer(skia, { size: 140 })(bar) as Float32Array;
    expect(sizes).toEqual([140, 140 * 140]);
    expect(Array.from(blocky)).not.toEqual(Array.from(plain));
  });
});

describe('MNIST test digits traced and redrawn', () => {
  let test: MnistSplit;
  beforeAll(async () => {
    test = (await loadMnist({ dir: mnistGzDir(), download: false })).test;
  });

  it('look like the originals after the demo pipeline', () => {
    const toInput = createInputRenderer(skia);
    const scores: number[] = [];
    for (let i = 0; i < 100; i++) {
      const strokes = digitToStrokes(test.image(i), 28, 28);
      const input = toInput(fitStrokes(strokes, { extent: 0.7 })) as Float32Array;
      scores.push(correlation(input, test.image(i)));
    }
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(mean).toBeGreaterThan(0.8);
    expect(Math.min(...scores)).toBeGreaterThan(0.5);
  });
});
