// The drawing augmentation inside the engine (engine/assembly/augment.ts) against its TypeScript reference
// (src/augment/): image for image over many seeds and parameter sets, the per-sample seeds, the gather's hook,
// and whole training steps with the augmentation against tfjs autodiff on 1 and 2 threads, repeatable bit for bit.
import '@tensorflow/tfjs-backend-cpu';
import type { MnistSplit } from '@mnist/data';
import { seededPermutation } from '@mnist/data';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AugmentParams, augment, DRAWING_AUGMENTATION, NO_AUGMENTATION } from '../src/index.js';
import { packAugmentParams } from '../src/augment/params.js';
import { createModel, initBackend, type MnistModel, train } from '../src/node.js';
import { createCnn } from '../src/zoo/cnn.js';
import { TUTORIAL_RECIPE } from '../src/model.js';
import { deriveSeed } from '../src/random.js';
import { assembleBatch } from '../src/train/batches.js';
import { autodiffStep } from '../src/train/autodiff-step.js';
import { trainingStepFor } from '../src/train/choose-step.js';
import { mnist } from './support/data.js';
import { type KernelBench, kernelBench, SMALL_CONV_LAYERS, uniform, workersGone } from './support/engine.js';
import { maxDifference, weightsOf } from './support/weights.js';

/** Parameter sets: the shipped strengths, each transform alone, everything at its limits, and random mixes. */
function parameterSets(): [string, AugmentParams][] {
  const sets: [string, AugmentParams][] = [
    ['none', NO_AUGMENTATION],
    ['drawing', DRAWING_AUGMENTATION],
    ['rotation 45°', { ...NO_AUGMENTATION, rotation: 45 }],
    ['rotation 180°', { ...NO_AUGMENTATION, rotation: 180 }],
    ['scale', { ...NO_AUGMENTATION, scale: 0.5 }],
    ['shear', { ...NO_AUGMENTATION, shear: 0.8 }],
    ['translate', { ...NO_AUGMENTATION, translate: 8 }],
    ['elastic', { ...NO_AUGMENTATION, elasticAlpha: 34, elasticSigma: 4 }],
    ['elastic, widest blur', { ...NO_AUGMENTATION, elasticAlpha: 60, elasticSigma: 10 }],
    ['thicken', { ...NO_AUGMENTATION, thicken: 3 }],
    ['thin', { ...NO_AUGMENTATION, thin: 1 }],
    ['low resolution', { ...NO_AUGMENTATION, lowResProbability: 1, lowResMinCells: 2 }],
    [
      'all at their limits',
      {
        rotation: 180,
        scale: 0.9,
        shear: 1,
        translate: 10,
        elasticAlpha: 40,
        elasticSigma: 10,
        thicken: 3,
        thin: 1,
        lowResProbability: 1,
        lowResMinCells: 2,
      },
    ],
  ];
  const random = uniform(2024);
  const draw = (max: number) => Math.abs(random()) * max;
  for (let i = 0; i < 8; i++) {
    sets.push([
      `random mix ${i}`,
      {
        rotation: draw(60),
        scale: draw(0.4),
        shear: draw(0.6),
        translate: draw(5),
        elasticAlpha: i % 3 === 0 ? 0 : draw(30),
        elasticSigma: 0.5 + draw(6),
        thicken: draw(3),
        thin: draw(1),
        lowResProbability: draw(1),
        lowResMinCells: 2 + Math.floor(draw(17)),
      },
    ]);
  }
  return sets;
}

let k: KernelBench;
let images: Uint8Array;

/** The module's AUGMENT_SCRATCH_BYTES (an exported constant). */
function scratchBytes(): number {
  return Number((k.exports as unknown as Record<string, WebAssembly.Global>).AUGMENT_SCRATCH_BYTES?.value);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  k = await kernelBench(32);
  images = (await mnist()).test.take(200).images;
});

describe('augmentImage (WebAssembly) against augment (TypeScript)', () => {
  const ALL = parameterSets();
  for (const [name, params] of ALL) {
    it(`${name}: the same image for 200 digits, each with its own seed`, () => {
      const scratch = k.reserve(0, scratchBytes());
      const packed = k.floats(packAugmentParams(params));
      const src = k.reserve(0, 784);
      const dst = k.reserve(784);
      const expected = new Float32Array(784);
      let worst = 0;
      let exact = 0;
      for (let i = 0; i < 200; i++) {
        const image = images.subarray(i * 784, (i + 1) * 784);
        const seed = deriveSeed(name.length * 7919, i);
        new Uint8Array(k.memory.buffer, src, 784).set(image);
        k.exports.augmentImage(src, dst, seed | 0, packed, scratch);
        augment(image, expected, seed, params);
        const actual = k.readFloats(dst, 784);
        let same = true;
        for (let p = 0; p < 784; p++) {
          const difference = Math.abs((actual[p] as number) - (expected[p] as number));
          worst = Math.max(worst, difference);
          if (difference !== 0) same = false;
        }
        if (same) exact++;
      }
      // Pixels are in 0..1; the two differ only by the rounding of sin/cos/exp in the last bits.
      expect(worst).toBeLessThan(1e-5);
      // Small rotations take the same polynomial as Math.sin/Math.cos: bit for bit, nearly always.
      if (params.rotation <= 45) expect(exact).toBeGreaterThanOrEqual(190);
    });
  }

  it('seeds each image as deriveSeed(epoch seed, image index) does', () => {
    for (const [seed, index] of [
      [0, 0],
      [1, 2],
      [0xffffffff, 59_999],
      [0x2545f491, 7],
      [123_456_789, 31_337],
    ] as [number, number][]) {
      expect(k.exports.augmentSeed(seed | 0, index) >>> 0).toBe(deriveSeed(seed, index));
    }
  });
});

describe('the gather hook', () => {
  let set: MnistSplit;
  beforeAll(async () => {
    set = (await mnist()).train.take(500);
  });

  it("gathers augmented samples as the tfjs step's host batches do (and the shift is ignored then)", () => {
    const order = Uint32Array.from({ length: set.count }, (_, i) => (i * 7919) % set.count);
    const imagesAt = k.bytes(set.images);
    const labelsAt = k.bytes(set.labels);
    const orderAt = k.ints(order);
    const count = 41;
    const x = k.reserve(count * 784);
    const labelsOut = k.reserve(count);
    const scratch = k.reserve(0, scratchBytes());
    const params = k.floats(packAugmentParams(DRAWING_AUGMENTATION));
    const epochSeed = 0x9e3779b9;
    k.exports.gatherBatch(
      imagesAt,
      labelsAt,
      orderAt,
      60,
      count,
      2,
      99,
      x,
      labelsOut,
      params,
      epochSeed | 0,
      scratch,
    );
    const expected = assembleBatch(set, order, 60, count, 2, 99, {
      params: DRAWING_AUGMENTATION,
      epochSeed,
    });
    const actual = k.readFloats(x, count * 784);
    let worst = 0;
    for (let i = 0; i < actual.length; i++)
      worst = Math.max(worst, Math.abs((actual[i] as number) - (expected.x[i] as number)));
    expect(worst).toBeLessThan(1e-5);
    expect(Array.from(new Int32Array(k.memory.buffer, labelsOut, count))).toEqual(
      Array.from(expected.labels),
    );
  });
});

describe('training with the drawing augmentation on the engine', () => {
  let set: MnistSplit;
  beforeAll(async () => {
    await initBackend('wasm', { log: false });
    set = (await mnist()).train.take(1000);
  });

  it('lands where tfjs autodiff does after several steps, on 1 and 2 threads', async () => {
    // A three-convolution cnn: its steps match autodiff to 5e-5 (the shipped cnn's deeper ReLU stack amplifies summation
    // order; engine-steps.test.ts bounds that separately). What is tested here is the augmentation path.
    const build = (): MnistModel => ({
      name: 'cnn',
      layersModel: createCnn({ seed: 21, layers: SMALL_CONV_LAYERS }),
      inputKind: 'image',
      recipe: { ...TUTORIAL_RECIPE, batchSize: 48, maxShift: 2 },
      seed: 21,
    });
    const order = seededPermutation(set.count, 5);
    const plan = {
      order,
      learningRate: 0.002,
      augmentSeed: 3,
      augmentation: { params: DRAWING_AUGMENTATION, epochSeed: 0x2545f491 },
    };
    const settings = { batchSize: 48, maxShift: 2, crossEntropy: 'logits' as const };
    const runs: MnistModel[] = [];
    const totals: [number, number][] = [];
    for (const kind of ['tfjs', 1, 2, 2] as const) {
      const model = build();
      const step =
        kind === 'tfjs'
          ? autodiffStep(model, set, settings)
          : await trainingStepFor(model, set, { ...settings, engine: 'wasm', threads: kind });
      expect(step.engine.kind).toBe(kind === 'tfjs' ? 'tfjs' : 'wasm');
      step.beginEpoch(plan);
      for (let s = 0; s < 4; s++) step.run(s * 48, 48);
      totals.push(await step.totals());
      step.syncWeights();
      step.dispose();
      runs.push(model);
    }
    expect(await workersGone()).toBe(0);
    const [reference, one, two, again] = runs.map(weightsOf) as Float32Array[][];
    const initial = weightsOf(build());
    expect(maxDifference(reference as Float32Array[], initial)).toBeGreaterThan(4 * 0.002 * 0.5);
    expect(maxDifference(one as Float32Array[], reference as Float32Array[])).toBeLessThan(5e-5);
    expect(maxDifference(two as Float32Array[], reference as Float32Array[])).toBeLessThan(5e-5);
    // 1 vs 2 threads: float summation order only (the samples and their augmentation are the same).
    expect(maxDifference(one as Float32Array[], two as Float32Array[])).toBeLessThan(5e-5);
    expect(maxDifference(again as Float32Array[], two as Float32Array[])).toBe(0);
    for (const [loss, correct] of totals.slice(1)) {
      expect(loss).toBeCloseTo((totals[0] as [number, number])[0], 2);
      expect(correct).toBe((totals[0] as [number, number])[1]);
    }
    for (const model of runs) model.layersModel.dispose();
  });

  it('train() with the recipe: the same seed gives the same weights, bit for bit, run after run', async () => {
    const trained: Float32Array[][] = [];
    for (let run = 0; run < 2; run++) {
      // The cnn's own recipe: the drawing augmentation.
      const model = createModel('cnn', { seed: 4 });
      const result = await train(model, set.take(256), { epochs: 2, seed: 9, threads: 2 });
      expect(result.engine).toEqual({ kind: 'wasm', threads: 2, simd: true });
      trained.push(weightsOf(model));
      model.layersModel.dispose();
    }
    expect(maxDifference(trained[0] as Float32Array[], trained[1] as Float32Array[])).toBe(0);
  });
});
