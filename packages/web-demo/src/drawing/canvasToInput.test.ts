// The canvas-to-model-input path on a real 2D canvas implementation (@napi-rs/canvas, Skia), with real MNIST
// digits redrawn as strokes.
import { centerOfMass, digitToStrokes } from '@mnist/data';
import { correlation } from '@mnist/test-support';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { mnistTest } from '../../test/support/mnist';
import { InferenceEngine } from '../inference/engine';
import { inkBox } from '../../test/support/similarity';
import { type CanvasFactory, createInputRenderer, INPUT_CANVAS_SIZE, inkCoverage } from './canvasToInput';
import type { Stroke } from './strokes';

const skiaCanvas: CanvasFactory = (w, h) => createCanvas(w, h) as unknown as ReturnType<CanvasFactory>;

/** Pen strokes that redraw a 28×28 MNIST image (@mnist/data's tracing), in its coordinates. */
const strokesOf = (image: ArrayLike<number>) => digitToStrokes(image, 28, 28);

/** A digit traced from an MNIST image, placed on the canvas at `scale` of its side with its top-left at `offset`. */
function place(
  strokes: { x: number; y: number }[][],
  scale: number,
  offset: { x: number; y: number },
): Stroke[] {
  return strokes.map((s) =>
    s.map((p) => ({ x: offset.x + (p.x / 28) * scale, y: offset.y + (p.y / 28) * scale })),
  );
}

describe('inkCoverage', () => {
  it('reads the alpha channel, whatever the ink colour', () => {
    const data = new Uint8ClampedArray([255, 0, 0, 10, 0, 0, 0, 0, 1, 2, 3, 255, 9, 9, 9, 128]);
    expect(Array.from(inkCoverage({ data, width: 2, height: 2 }))).toEqual([10, 0, 255, 128]);
  });

  it('rejects a buffer that does not match the size', () => {
    expect(() => inkCoverage({ data: new Uint8ClampedArray(12), width: 2, height: 2 })).toThrow(
      /16 RGBA bytes/,
    );
  });
});

describe('createInputRenderer', () => {
  const toInput = createInputRenderer(skiaCanvas);

  it('returns null for an empty drawing, so the page shows a prompt, not a guess', () => {
    expect(toInput([])).toBeNull();
    expect(toInput([[], []])).toBeNull();
  });

  it('turns a vertical bar into a centred 20-pixel-tall MNIST input', () => {
    const input = toInput([
      [
        { x: 0.3, y: 0.2 },
        { x: 0.3, y: 0.8 },
      ],
    ]);
    expect(input).not.toBeNull();
    const pixels = input as Float32Array;
    expect(pixels).toHaveLength(784);
    expect(Math.max(...pixels)).toBeCloseTo(1, 5);
    expect(Math.min(...pixels)).toBeGreaterThanOrEqual(0);
    // 20 px long, placed by its centre of mass at a sub-pixel offset: it may touch 21 rows.
    expect(inkBox(pixels, 0.05).height).toBeGreaterThanOrEqual(20);
    expect(inkBox(pixels, 0.05).height).toBeLessThanOrEqual(21);
    const com = centerOfMass(pixels, 28, 28);
    expect(com?.x).toBeCloseTo(14, 0);
    expect(com?.y).toBeCloseTo(14, 0);
  });

  it('draws a tap as a dot', () => {
    const input = toInput([[{ x: 0.5, y: 0.5 }]]) as Float32Array;
    expect(input).not.toBeNull();
    expect(inkBox(input, 0.05).width).toBeGreaterThan(10);
  });

  it('gives nearly the same input wherever and however large the digit is drawn', async () => {
    const test = await mnistTest();
    const strokes = strokesOf(test.image(0));
    const big = toInput(place(strokes, 1, { x: 0, y: 0 })) as Float32Array;
    const small = toInput(place(strokes, 0.6, { x: 0.4, y: 0.05 })) as Float32Array;
    expect(correlation(big, small)).toBeGreaterThan(0.85);
  });

  it('reproduces real MNIST digits that are redrawn as strokes', async () => {
    const test = await mnistTest();
    const scores: number[] = [];
    for (let i = 0; i < 100; i++) {
      const image = test.image(i);
      const input = toInput(place(strokesOf(image), 1, { x: 0, y: 0 })) as Float32Array;
      expect(input, `image ${i}`).not.toBeNull();
      const com = centerOfMass(input, 28, 28);
      expect(Math.hypot((com?.x ?? 0) - 14, (com?.y ?? 0) - 14), `centre of mass of image ${i}`).toBeLessThan(
        0.6,
      );
      const box = inkBox(input, 0.05);
      expect(Math.max(box.width, box.height), `box of image ${i}`).toBeGreaterThanOrEqual(19);
      expect(Math.max(box.width, box.height), `box of image ${i}`).toBeLessThanOrEqual(22);
      scores.push(correlation(input, image));
    }
    scores.sort((a, b) => a - b);
    // The redrawn digit has a pen's uniform stroke, not the scanned one: similar, not identical.
    expect(scores[50]).toBeGreaterThan(0.8);
    expect(scores[10]).toBeGreaterThan(0.65);
  }, 60_000);

  it('gives inputs the pretrained cnn reads correctly', async () => {
    const engine = new InferenceEngine();
    await engine.useBackend('cpu');
    await engine.useModel('cnn');
    const test = await mnistTest();
    let correct = 0;
    const n = 40;
    for (let i = 0; i < n; i++) {
      const index = 1000 + i * 97;
      const input = toInput(place(strokesOf(test.image(index)), 0.8, { x: 0.1, y: 0.1 })) as Float32Array;
      if ((await engine.classify(input)).label === test.label(index)) correct++;
    }
    expect(correct).toBeGreaterThanOrEqual(Math.ceil(n * 0.9));
  }, 60_000);

  it('renders at a fixed size, independent of the visible canvas', () => {
    expect(INPUT_CANVAS_SIZE).toBe(280);
  });
});
