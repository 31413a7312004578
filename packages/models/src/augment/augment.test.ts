// The TypeScript reference of the training augmentation: reproducible, identity at zero strength, ink kept inside
// the frame, and each transform doing what it says on synthetic images.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AUGMENT_PARAM_INDEX,
  AUGMENT_PARAMS_LENGTH,
  packAugmentParams,
  unpackAugmentParams,
} from './params.js';
import {
  type AugmentPlan,
  applyAugmentation,
  augment,
  DRAWING_AUGMENTATION,
  MnistModelError,
  NO_AUGMENTATION,
  planAugmentation,
} from '../index.js';
import { mnist } from '../../test/support/data.js';

const SIDE = 28;

/** A 28×28 byte image with full ink on the given rectangle (inclusive). */
function rectangle(x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const image = new Uint8Array(784);
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) image[y * SIDE + x] = 255;
  return image;
}

/** Bounding box of the pixels above `threshold`. */
function inkBox(image: ArrayLike<number>, threshold = 0.5) {
  let x0 = SIDE;
  let y0 = SIDE;
  let x1 = -1;
  let y1 = -1;
  for (let i = 0; i < 784; i++) {
    if ((image[i] as number) > threshold) {
      const x = i % SIDE;
      const y = Math.floor(i / SIDE);
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return { x0, y0, x1, y1, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function mass(image: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < image.length; i++) total += image[i] as number;
  return total;
}

/** A plan that changes nothing, to alter one field at a time. */
const IDENTITY: AugmentPlan = {
  angle: 0,
  scale: 1,
  shear: 0,
  shiftX: 0,
  shiftY: 0,
  thickness: 0,
  cells: 0,
  field: null,
};

function apply(src: Uint8Array, plan: Partial<AugmentPlan>): Float32Array {
  const dst = new Float32Array(784);
  applyAugmentation(src, dst, { ...IDENTITY, ...plan });
  return dst;
}

/** A vertical bar 3 wide and 15 tall, centred. */
const BAR = rectangle(13, 7, 15, 21);

describe('augment', () => {
  it('is the identity at zero strength (for ink at least 2 px from the edges, as in MNIST)', () => {
    const dst = new Float32Array(784);
    const inside = (i: number) => i % 28 >= 2 && i % 28 <= 25 && i >= 2 * 28 && i < 26 * 28;
    const src = Uint8Array.from({ length: 784 }, (_, i) => (inside(i) ? (i * 7919) % 256 : 0));
    augment(src, dst, 12345, NO_AUGMENTATION);
    expect(Array.from(dst)).toEqual(Array.from(src, (v) => Math.fround(v / 255)));
  });

  it('gives the same output for the same seed, and another for another seed', () => {
    const a = new Float32Array(784);
    const b = new Float32Array(784);
    augment(BAR, a, 7, DRAWING_AUGMENTATION);
    augment(BAR, b, 7, DRAWING_AUGMENTATION);
    expect(Array.from(b)).toEqual(Array.from(a));
    augment(BAR, b, 8, DRAWING_AUGMENTATION);
    expect(Array.from(b)).not.toEqual(Array.from(a));
  });

  it('leaves an empty image empty', () => {
    const dst = new Float32Array(784).fill(0.5);
    augment(new Uint8Array(784), dst, 1, DRAWING_AUGMENTATION);
    expect(mass(dst)).toBe(0);
  });

  it('rejects wrong sizes and bad parameters, naming them', () => {
    expect(() => augment(new Uint8Array(10), new Float32Array(784), 1, NO_AUGMENTATION)).toThrow(
      MnistModelError,
    );
    expect(() =>
      augment(BAR, new Float32Array(784), 1, { ...NO_AUGMENTATION, rotation: Number.NaN }),
    ).toThrow(/rotation/);
    expect(() => augment(BAR, new Float32Array(784), 1, { ...NO_AUGMENTATION, lowResMinCells: 1 })).toThrow(
      /lowResMinCells/,
    );
    expect(() => augment(BAR, new Float32Array(784), 1, { ...NO_AUGMENTATION, elasticAlpha: 5 })).toThrow(
      /elasticSigma/,
    );
    // The bounds the WebAssembly twin relies on (its sin/cos range, its blur's scratch).
    expect(() => augment(BAR, new Float32Array(784), 1, { ...NO_AUGMENTATION, rotation: 181 })).toThrow(
      /rotation must be at most 180/,
    );
    expect(() =>
      augment(BAR, new Float32Array(784), 1, { ...NO_AUGMENTATION, elasticAlpha: 5, elasticSigma: 10.5 }),
    ).toThrow(/elasticSigma must be at most 10/);
  });
});

describe('augment on real digits at full strength', () => {
  let images: Uint8Array;
  beforeAll(async () => {
    images = (await mnist()).test.take(300).images;
  });

  it('keeps the ink inside the frame, off its outermost pixels, without losing the digit', () => {
    const strong = {
      ...DRAWING_AUGMENTATION,
      rotation: 25,
      scale: 0.3,
      shear: 0.5,
      translate: 6,
      elasticAlpha: 34,
      elasticSigma: 4,
      thicken: 3,
      thin: 1,
      lowResProbability: 0.5,
    };
    const dst = new Float32Array(784);
    for (let i = 0; i < 300; i++) {
      const src = images.subarray(i * 784, (i + 1) * 784);
      augment(src, dst, i, strong);
      for (let k = 0; k < SIDE; k++) {
        expect(dst[k], `image ${i}, top row`).toBe(0);
        expect(dst[(SIDE - 1) * SIDE + k], `image ${i}, bottom row`).toBe(0);
        expect(dst[k * SIDE], `image ${i}, left column`).toBe(0);
        expect(dst[k * SIDE + SIDE - 1], `image ${i}, right column`).toBe(0);
      }
      const ratio = mass(dst) / (mass(src) / 255);
      expect(ratio, `image ${i} ink ratio`).toBeGreaterThan(0.05);
      expect(ratio, `image ${i} ink ratio`).toBeLessThan(4);
      expect(Math.max(...dst)).toBeLessThanOrEqual(1);
    }
  });
});

describe('each transform does what it says', () => {
  it('rotates a vertical bar by 90° into a horizontal one', () => {
    const box = inkBox(apply(BAR, { angle: Math.PI / 2 }));
    expect(box.width).toBe(15);
    expect(box.height).toBe(3);
  });

  it('scales a bar to half its length about its centre', () => {
    const box = inkBox(apply(BAR, { scale: 0.5 }));
    expect(box.height).toBeGreaterThanOrEqual(7);
    expect(box.height).toBeLessThanOrEqual(9);
    expect((box.y0 + box.y1) / 2).toBeCloseTo(14, 0);
  });

  it('shears a vertical bar into a slanted one', () => {
    const sheared = apply(BAR, { shear: 0.5 });
    const top = inkBox(sheared.subarray(8 * SIDE, 9 * SIDE).map((v) => v));
    const rowCentre = (row: number) => {
      let s = 0;
      let w = 0;
      for (let x = 0; x < SIDE; x++) {
        s += x * (sheared[row * SIDE + x] as number);
        w += sheared[row * SIDE + x] as number;
      }
      return s / w;
    };
    expect(top.width).toBeGreaterThan(0);
    // x += 0.5·(y − centre): the top leans left and the bottom right, about 6.5 px apart over 13 rows.
    expect(rowCentre(20) - rowCentre(8)).toBeCloseTo(6, 0);
  });

  it('translates by the shift asked for when the ink fits', () => {
    const box = inkBox(apply(BAR, { shiftX: 3, shiftY: -2 }));
    expect([box.x0, box.y0, box.x1, box.y1]).toEqual([16, 5, 18, 19]);
  });

  it('clamps a shift that would push ink out of the frame', () => {
    const box = inkBox(apply(BAR, { shiftX: 20 }), 0);
    expect(box.x1).toBeLessThanOrEqual(SIDE - 2);
    expect(box.width).toBe(3);
  });

  it('thickens and thins strokes', () => {
    expect(inkBox(apply(BAR, { thickness: 1 })).width).toBe(5);
    expect(inkBox(apply(BAR, { thickness: 2 })).width).toBe(7);
    expect(inkBox(apply(BAR, { thickness: -1 })).width).toBe(1);
    const half = apply(BAR, { thickness: 0.5 });
    expect(half[14 * SIDE + 12]).toBeCloseTo(0.5, 6);
    expect(half[14 * SIDE + 14]).toBe(1);
  });

  it('re-renders the digit on a coarse grid as blocks that stay inside its box', () => {
    // A 16-pixel box of stripes, 4 cells across: cells of 4 × 4 pixels aligned on the box.
    const stripes = rectangle(6, 6, 21, 21).map((v, i) => (Math.floor(i / SIDE) % 3 === 0 ? v : 0));
    const blocky = apply(stripes, { cells: 4 });
    for (let by = 0; by < 4; by++) {
      for (let bx = 0; bx < 4; bx++) {
        const values = new Set<number>();
        for (let y = 6 + by * 4; y < 10 + by * 4; y++) {
          for (let x = 6 + bx * 4; x < 10 + bx * 4; x++) values.add(blocky[y * SIDE + x] as number);
        }
        expect(values.size).toBe(1);
      }
    }
    expect(inkBox(blocky, 0)).toEqual(inkBox(stripes, 0));
    expect(Math.max(...blocky)).toBeCloseTo(1, 6);
  });

  it('moves ink along an elastic field and keeps its amount', () => {
    const plan = planAugmentation(3, { ...NO_AUGMENTATION, elasticAlpha: 34, elasticSigma: 4 });
    expect(plan.field).not.toBeNull();
    const warped = apply(BAR, { field: plan.field });
    expect(Array.from(warped)).not.toEqual(Array.from(apply(BAR, {})));
    expect(mass(warped) / (mass(BAR) / 255)).toBeGreaterThan(0.8);
    expect(mass(warped) / (mass(BAR) / 255)).toBeLessThan(1.25);
    expect(planAugmentation(3, { ...NO_AUGMENTATION, elasticAlpha: 0 }).field).toBeNull();
  });

  it('draws each strength within its range', () => {
    for (let seed = 0; seed < 200; seed++) {
      const plan = planAugmentation(seed, DRAWING_AUGMENTATION);
      expect(Math.abs((plan.angle * 180) / Math.PI)).toBeLessThanOrEqual(
        DRAWING_AUGMENTATION.rotation + 1e-6,
      );
      expect(Math.abs(plan.scale - 1)).toBeLessThanOrEqual(DRAWING_AUGMENTATION.scale + 1e-6);
      expect(plan.thickness).toBeLessThanOrEqual(DRAWING_AUGMENTATION.thicken);
      expect(plan.thickness).toBeGreaterThanOrEqual(-DRAWING_AUGMENTATION.thin);
      expect(plan.cells === 0 || (plan.cells >= 6 && plan.cells <= 19)).toBe(true);
    }
  });
});

describe('packed parameters', () => {
  it('round-trip through the f32 layout the WebAssembly twin reads', () => {
    const packed = packAugmentParams(DRAWING_AUGMENTATION);
    expect(packed).toHaveLength(AUGMENT_PARAMS_LENGTH);
    expect(packed[AUGMENT_PARAM_INDEX.elasticSigma]).toBeCloseTo(3.5, 6);
    expect(unpackAugmentParams(packed)).toEqual(
      Object.fromEntries(Object.entries(DRAWING_AUGMENTATION).map(([k, v]) => [k, Math.fround(v)])),
    );
    expect(new Set(Object.values(AUGMENT_PARAM_INDEX)).size).toBe(AUGMENT_PARAMS_LENGTH);
  });
});

describe('train() with the recipe augmentation', () => {
  it('augments every image reproducibly: same seed, same weights; without it, other weights', async () => {
    const { initBackend, createModel, train } = await import('../node.js');
    await initBackend('wasm', { log: false });
    const set = (await mnist()).train.take(96);
    const weightsAfter = async (augmentation: typeof DRAWING_AUGMENTATION | undefined) => {
      const base = createModel('cnn', { seed: 5 });
      const model = { ...base, recipe: { ...base.recipe, epochs: 1, batchSize: 32, augmentation } };
      await train(model, set, { seed: 9 });
      const values = model.layersModel.getWeights().map((w) => Array.from(w.dataSync()));
      model.layersModel.dispose();
      return values.flat();
    };
    const once = await weightsAfter(DRAWING_AUGMENTATION);
    expect(await weightsAfter(DRAWING_AUGMENTATION)).toEqual(once);
    expect(await weightsAfter(undefined)).not.toEqual(once);
  });
});
