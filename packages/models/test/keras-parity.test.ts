// Training parity with Keras 3 from Keras's own initial weights: `<model>-initial.keras` (saved by Keras before any
// training, scripts/keras/keras_trajectory.py) is loaded through the .keras reader and trained here the tutorial's
// way with `shuffle: false` on the first N training images, in both cross-entropy forms; every epoch's loss and
// accuracy and the test figures must follow Keras's recorded trajectory (TensorFlow backend for `logits`, JAX for
// `probabilities`). `simple` is convex and follows to float32 noise; the `mlp`'s float differences grow over
// five epochs of training, so it is held to tenths of a point.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CrossEntropyForm,
  evaluate,
  initBackend,
  loadModel,
  type MnistModel,
  train,
} from '../src/node.js';
import { mnist } from './support/data.js';

interface Run {
  epochs: { epoch: number; loss: number; accuracy: number }[];
  testLoss: number;
  testAccuracy: number;
}
const folder = new URL('./fixtures/keras-parity/', import.meta.url);
const trajectory = JSON.parse(readFileSync(new URL('trajectory.json', folder), 'utf8')) as {
  trainImages: number;
  recipe: { epochs: number };
  runs: Record<CrossEntropyForm, { models: Record<string, Run> }>;
};

/** Largest differences allowed: per-epoch loss and accuracy (fraction), test loss and test images. */
const TOLERANCE = {
  simple: { loss: 1e-5, accuracy: 1e-4, testLoss: 1e-5, testImages: 1 },
  mlp: { loss: 2e-3, accuracy: 1e-3, testLoss: 1e-2, testImages: 30 },
} as const;

const models: MnistModel[] = [];
beforeAll(async () => {
  await initBackend('wasm', { log: false });
});
afterAll(() => {
  for (const model of models) model.layersModel.dispose();
});

describe("training from Keras's initial weights follows Keras's trajectory", () => {
  for (const form of ['logits', 'probabilities'] as const) {
    for (const name of ['simple', 'mlp'] as const) {
      it(`${name}, ${form}`, async () => {
        const keras = trajectory.runs[form].models[name] as Run;
        const tolerance = TOLERANCE[name];
        const data = await mnist();
        const model = await loadModel(new URL(`${name}-initial.keras`, folder).pathname);
        models.push(model);
        const run = await train(model, data.train.take(trajectory.trainImages), {
          epochs: trajectory.recipe.epochs,
          shuffle: false,
          crossEntropy: form,
        });
        expect(run.history).toHaveLength(keras.epochs.length);
        for (const [i, epoch] of run.history.entries()) {
          const theirs = keras.epochs[i] as Run['epochs'][number];
          expect(Math.abs(epoch.loss - theirs.loss), `epoch ${i + 1} loss`).toBeLessThan(tolerance.loss);
          expect(Math.abs(epoch.accuracy - theirs.accuracy), `epoch ${i + 1} accuracy`).toBeLessThanOrEqual(
            tolerance.accuracy,
          );
        }
        const test = await evaluate(model, data.test, { crossEntropy: form });
        expect(Math.abs(test.loss - keras.testLoss)).toBeLessThan(tolerance.testLoss);
        expect(Math.abs(Math.round((test.accuracy - keras.testAccuracy) * test.count))).toBeLessThanOrEqual(
          tolerance.testImages,
        );
      });
    }
  }
});
