// The engine's threads as a user meets them through train(): they start, they stop on abort, on errors and at
// the end; a crash inside a worker becomes a typed error, never a hang; train() refuses bad numbers and a
// second concurrent run on one model.
import { availableParallelism } from 'node:os';
import type { MnistSplit } from '@mnist/data';
import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { activeWasmSteps, liveEngineWorkers, planWords } from '../src/engine/test-hooks.js';
import { PLAN_SLOT } from '../src/generated/engine-layout.js';
import { createModel, initBackend, type MnistModel, MnistModelError, train } from '../src/node.js';
import { DRAWING_AUGMENTATION } from '../src/augment/params.js';
import { cnnRecipe } from '../src/zoo/cnn.js';
import { mnist } from './support/data.js';
import { workersGone } from './support/engine.js';

let trainSet: MnistSplit;

beforeAll(async () => {
  await initBackend('wasm', { log: false });
  trainSet = (await mnist()).train.take(1024);
});

async function rejection(promise: Promise<unknown>): Promise<MnistModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MnistModelError);
  return error as MnistModelError;
}

describe('engine threads through train()', () => {
  it('trains the cnn and the mlp on the cores (at most 4) by default and reports it; its workers are gone afterwards', async () => {
    const cores = Math.min(4, availableParallelism());
    const model = createModel('cnn', { seed: 1 });
    const result = await train(model, trainSet.take(256), { epochs: 1 });
    expect(result.engine).toEqual({ kind: 'wasm', threads: cores, simd: true });
    expect(await workersGone()).toBe(0);
    const dense = createModel('mlp', { seed: 1 });
    expect((await train(dense, trainSet.take(256), { epochs: 1 })).engine).toEqual({
      kind: 'wasm',
      threads: cores,
      simd: true,
    });
    expect(await workersGone()).toBe(0);
    expect((await train(dense, trainSet.take(64), { epochs: 1, engine: 'tfjs' })).engine).toEqual({
      kind: 'tfjs',
      backend: 'wasm',
    });
    model.layersModel.dispose();
    dense.layersModel.dispose();
  });

  it('abort mid-epoch stops every worker and leaves the trained weights in the model', async () => {
    const model = createModel('cnn', { seed: 2 });
    const before = model.layersModel.getWeights()[0]?.dataSync().slice() as Float32Array;
    const controller = new AbortController();
    const result = await train(model, trainSet, {
      epochs: 2,
      threads: 2,
      signal: controller.signal,
      batchLogIntervalMs: 0,
      onBatchEnd: (log) => {
        expect(liveEngineWorkers()).toBe(1);
        if (log.batch === 3) controller.abort();
      },
    });
    expect(result).toMatchObject({ aborted: true, samplesTrained: 3 * 64, history: [] });
    expect(await workersGone()).toBe(0);
    expect(model.layersModel.getWeights()[0]?.dataSync()).not.toEqual(before);
    model.layersModel.dispose();
  });

  it('a crash inside a worker rejects train() with TRAINING_FAILED and stops every thread', async () => {
    const model = createModel('cnn', { seed: 3 });
    const tensors = tf.memory().numTensors;
    const error = await rejection(
      train(model, trainSet, {
        epochs: 1,
        threads: 2,
        batchLogIntervalMs: 0,
        onBatchEnd: (log) => {
          if (log.batch !== 2) return;
          // Point thread 1's workspace far outside memory: its next memory access traps.
          const step = activeWasmSteps()[0];
          const words = step === undefined ? undefined : planWords(step);
          if (words === undefined) throw new Error('no running wasm step');
          words[PLAN_SLOT.WORKSPACE_STRIDE] = 0x7fff0000;
        },
      }),
    );
    expect(error.code).toBe('TRAINING_FAILED');
    expect(error.message).toMatch(/training thread of the wasm engine failed.*engine: 'tfjs'/);
    expect(await workersGone()).toBe(0);
    expect(activeWasmSteps()).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensors);
    // The model is still usable: training again works.
    const again = await train(model, trainSet.take(128), { epochs: 1, threads: 2 });
    expect(again.history).toHaveLength(1);
    model.layersModel.dispose();
  });

  it('repeated runs leak no workers, tensors or engine steps', async () => {
    const model = createModel('cnn', { seed: 4 });
    const tensors = tf.memory().numTensors;
    for (let run = 0; run < 5; run++) {
      await train(model, trainSet.take(128), { epochs: 1, threads: 2 });
      expect(await workersGone()).toBe(0);
    }
    expect(activeWasmSteps()).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensors);
    model.layersModel.dispose();
  });
});

describe('train() input checks', () => {
  it('refuses a second concurrent train() of the same model', async () => {
    const model = createModel('mlp', { seed: 5 });
    const first = train(model, trainSet, { epochs: 2 });
    const error = await rejection(train(model, trainSet, { epochs: 1 }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(/already being trained by another train\(\) call/);
    expect((await first).history).toHaveLength(2);
    // Once the first run is over the model trains again.
    expect((await train(model, trainSet.take(64), { epochs: 1 })).history).toHaveLength(1);
    model.layersModel.dispose();
  });

  it('refuses labels outside 0–9 naming the first bad one and where it is', async () => {
    const model = createModel('simple', { seed: 6 });
    for (const [bad, shown] of [
      [10, '10'],
      [200, '200'],
    ] as const) {
      const labels = Uint8Array.from(trainSet.labels.subarray(0, 64));
      labels[17] = bad;
      const error = await rejection(
        train(model, { count: 64, images: trainSet.images.subarray(0, 64 * 784), labels }),
      );
      expect(error.code).toBe('BAD_INPUT');
      expect(error.message).toMatch(new RegExp(`label 17 is ${shown}; labels must be whole digits 0–9`));
    }
    // Any array-like of numbers gets the same check (−1, 3.7 and NaN cannot hide in a Float32Array).
    const floats = Float32Array.from(trainSet.labels.subarray(0, 64));
    floats[3] = 3.7;
    const error = await rejection(
      train(model, {
        count: 64,
        images: trainSet.images.subarray(0, 64 * 784),
        labels: floats as unknown as Uint8Array,
      }),
    );
    expect(error.message).toMatch(/label 3 is 3\.7/);
    model.layersModel.dispose();
  });

  it('refuses non-finite or out-of-range numbers and unknown engines', async () => {
    const model = createModel('simple', { seed: 7 });
    const set = trainSet.take(64);
    for (const [options, message] of [
      [
        { learningRate: Number.POSITIVE_INFINITY },
        /learningRate must be a positive finite number; got Infinity/,
      ],
      [{ learningRate: Number.NaN }, /learningRate .* got NaN/],
      [{ epochs: Number.POSITIVE_INFINITY }, /epochs must be a non-negative integer; got Infinity/],
      [{ batchSize: Number.POSITIVE_INFINITY }, /batchSize must be an integer from 1 to 65536; got Infinity/],
      [{ batchSize: 0 }, /batchSize .* got 0/],
      [{ threads: 0 }, /threads must be a whole number from 1 to 16 .*; got 0/],
      [{ threads: 300 }, /threads must be a whole number from 1 to 16 \(more threads than cores only wait for each other\); got 300/],
      [{ threads: 2.5 }, /threads .* got 2.5/],
      [{ engine: 'gpu' as 'wasm' }, /engine must be 'auto', 'wasm' or 'tfjs'; got 'gpu'/],
    ] as const) {
      const error = await rejection(train(model, set, options));
      expect(error.code).toBe('BAD_INPUT');
      expect(error.message).toMatch(message);
    }
    model.layersModel.dispose();
    // A cnn recipe's augmentation, refused before the engine and its workers are built.
    const cnn = createModel('cnn', { seed: 7 });
    const drawn: MnistModel = {
      ...cnn,
      recipe: { ...cnn.recipe, augmentation: { ...DRAWING_AUGMENTATION, rotation: Number.NaN } },
    };
    const error = await rejection(train(drawn, set, { epochs: 1 }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(/augment: rotation must be a finite number; got NaN/);
    expect(await workersGone()).toBe(0);
    cnn.layersModel.dispose();
  });

  it("engine: 'wasm' refuses an architecture the engine does not train; 'auto' takes tfjs for it", async () => {
    const pooled: MnistModel = {
      name: 'pooled',
      inputKind: 'image',
      recipe: cnnRecipe,
      layersModel: sequential({
        layers: [
          layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 3 }),
          layers.maxPooling2d({ poolSize: 2 }),
          layers.flatten(),
          layers.dense({ units: 10, activation: 'softmax' }),
        ],
      }),
    };
    const error = await rejection(train(pooled, trainSet.take(64), { epochs: 1, engine: 'wasm' }));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/does not train this architecture \(pooled\)/);
    const result = await train(pooled, trainSet.take(64), { epochs: 1 });
    expect(result.engine).toEqual({ kind: 'tfjs', backend: 'wasm' });
    pooled.layersModel.dispose();

    // The cnn's own recipe, with its drawing augmentation, trains on the engine too (engine/assembly/augment.ts).
    const drawn = createModel('cnn', { seed: 8 });
    expect(drawn.recipe.augmentation).toEqual(DRAWING_AUGMENTATION);
    expect((await train(drawn, trainSet.take(64), { epochs: 1 })).engine.kind).toBe('wasm');
    drawn.layersModel.dispose();
  });
});
