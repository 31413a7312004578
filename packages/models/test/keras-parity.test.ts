// Trajectory parity with Keras itself: from the initial weights Keras drew (saved by Keras as .keras files), the
// tutorial's recipe with shuffle=False on the first 10,000 training images gives, epoch by epoch, the loss and
// accuracy Keras 3.15.1 printed for the same run: on TensorFlow for the `logits` form, on JAX for `probabilities`.
// The fixture comes from scripts/keras/keras_trajectory.py; this test needs no Python.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CrossEntropyForm } from '../src/loss.js';
import { evaluate, initBackend, loadModel, train } from '../src/node.js';
import { mnist } from './support/data.js';

const fixtures = new URL('./fixtures/keras-parity/', import.meta.url);

interface KerasRun {
  backend: string;
  keras: string;
  models: Record<
    'simple' | 'mlp',
    {
      epochs: { epoch: number; loss: number; accuracy: number }[];
      testLoss: number;
      testAccuracy: number;
      initialTestLoss: number;
      initialTestAccuracy: number;
    }
  >;
}
const trajectory = JSON.parse(readFileSync(new URL('trajectory.json', fixtures), 'utf8')) as {
  trainImages: number;
  recipe: { learningRate: number; batchSize: number; epochs: number; shuffle: boolean };
  runs: Record<CrossEntropyForm, KerasRun>;
};

beforeAll(async () => {
  await initBackend('wasm', { log: false });
});

describe('training follows Keras 3 from the same initial weights', () => {
  for (const form of ['logits', 'probabilities'] as const) {
    for (const name of ['simple', 'mlp'] as const) {
      const keras = trajectory.runs[form];
      it(`${name}, loss from ${form}: each epoch within 2% of Keras on ${keras.backend}, accuracy within 0.5 points`, async () => {
        const data = await mnist();
        const model = await loadModel(new URL(`${name}-initial.keras`, fixtures));
        const result = await train(model, data.train.take(trajectory.trainImages), {
          crossEntropy: form,
          shuffle: false,
          epochs: trajectory.recipe.epochs,
          batchSize: trajectory.recipe.batchSize,
          learningRate: trajectory.recipe.learningRate,
        });
        const expected = keras.models[name];
        expect(result.history).toHaveLength(expected.epochs.length);
        result.history.forEach((epoch, i) => {
          const theirs = expected.epochs[i] as { loss: number; accuracy: number };
          expect(Math.abs(epoch.loss - theirs.loss) / theirs.loss, `epoch ${i + 1} loss`).toBeLessThan(0.02);
          expect(Math.abs(epoch.accuracy - theirs.accuracy), `epoch ${i + 1} accuracy`).toBeLessThan(0.005);
        });
        const test = await evaluate(model, data.test, { crossEntropy: form });
        expect(Math.abs(test.accuracy - expected.testAccuracy)).toBeLessThan(0.005);
        expect(Math.abs(test.loss - expected.testLoss) / expected.testLoss).toBeLessThan(0.05);
        model.layersModel.dispose();
      });
    }
  }

  for (const form of ['logits', 'probabilities'] as const) {
    it(`reads Keras's initial weights exactly: evaluated untrained, the ${form} loss Keras on ${trajectory.runs[form].backend} printed`, async () => {
      const data = await mnist();
      for (const name of ['simple', 'mlp'] as const) {
        const model = await loadModel(new URL(`${name}-initial.keras`, fixtures));
        const ours = await evaluate(model, data.test, { crossEntropy: form });
        const theirs = trajectory.runs[form].models[name];
        expect(ours.loss).toBeCloseTo(theirs.initialTestLoss, 4);
        expect(Math.round(ours.accuracy * 10_000)).toBe(Math.round(theirs.initialTestAccuracy * 10_000));
        model.layersModel.dispose();
      }
    });
  }
});
