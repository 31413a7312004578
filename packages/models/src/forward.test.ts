// The forward pass as the loss reads it: the output layer's logits beside its outputs, for Sequential and
// functional models, and both of Keras's cross-entropy forms computed from them.
import * as tf from '@tensorflow/tfjs-core';
import { input, layers, model as functionalModel, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { classProbabilities, forwardPass, logitHead } from './forward.js';
import { sparseCrossEntropyPerSample } from './loss.js';
import { initBackend, type MnistModel, TUTORIAL_RECIPE } from './node.js';
import { seededDenseInitializers } from './zoo/seeded.js';

beforeAll(async () => {
  await initBackend('cpu', { log: false });
});

const wrap = (layersModel: MnistModel['layersModel'], temperature?: number): MnistModel => ({
  name: 'custom',
  layersModel,
  inputKind: 'flat',
  recipe: TUTORIAL_RECIPE,
  ...(temperature !== undefined && { temperature }),
});

const x = () =>
  tf.tensor2d(
    Float32Array.from({ length: 3 * 784 }, (_, i) => ((i * 37) % 255) / 255),
    [3, 784],
  );

describe('forwardPass', () => {
  it('gives a Sequential sigmoid head its logits; the outputs are bit for bit those of apply', () => {
    const model = wrap(
      sequential({
        layers: [
          layers.dense({
            inputShape: [784],
            units: 10,
            activation: 'sigmoid',
            ...seededDenseInitializers(3, 0),
          }),
        ],
      }),
    );
    tf.tidy(() => {
      const input = x();
      const pass = forwardPass(model, input, false);
      const [kernel, bias] = model.layersModel.getWeights() as [tf.Tensor, tf.Tensor];
      expect(logitHead(model)?.activation).toBe('sigmoid');
      expect(pass.logits?.dataSync()).toEqual(tf.add(tf.matMul(input, kernel), bias).dataSync());
      expect(pass.outputs.dataSync()).toEqual((model.layersModel.apply(input) as tf.Tensor).dataSync());
    });
  });

  it("reads a functional model's Activation('softmax') layer: the logits are its input", () => {
    const pixels = input({ shape: [784] });
    const hidden = layers
      .dense({ units: 16, activation: 'relu', ...seededDenseInitializers(4, 0) })
      .apply(pixels);
    const scores = layers.dense({ units: 10, ...seededDenseInitializers(4, 1) }).apply(hidden);
    const out = layers.activation({ activation: 'softmax' }).apply(scores) as ReturnType<typeof input>;
    const model = wrap(functionalModel({ inputs: pixels, outputs: out }));
    const scoresModel = functionalModel({ inputs: pixels, outputs: scores as ReturnType<typeof input> });
    tf.tidy(() => {
      const input = x();
      const pass = forwardPass(model, input, false);
      expect(logitHead(model)?.activation).toBe('softmax');
      expect(pass.logits?.dataSync()).toEqual((scoresModel.predict(input) as tf.Tensor).dataSync());
      expect(pass.outputs.dataSync()).toEqual((model.layersModel.predict(input) as tf.Tensor).dataSync());
      // For a softmax head the probabilities are its outputs.
      const probabilities = classProbabilities(pass, model).dataSync();
      pass.outputs.dataSync().forEach((p, i) => {
        expect(probabilities[i]).toBeCloseTo(p, 6);
      });
    });
  });

  it('has no logits for other heads, and the logits form falls back to TensorFlow Keras’s clip, log, softmax', () => {
    const model = wrap(
      sequential({
        layers: [
          layers.dense({
            inputShape: [784],
            units: 10,
            activation: 'relu',
            ...seededDenseInitializers(5, 0),
          }),
        ],
      }),
    );
    tf.tidy(() => {
      const pass = forwardPass(model, x(), false);
      expect(pass.logits).toBeUndefined();
      const mask = tf.cast(tf.oneHot(tf.tensor1d([1, 2, 3], 'int32'), 10), 'float32');
      const outputs = pass.outputs.arraySync() as number[][];
      const loss = sparseCrossEntropyPerSample(pass, mask, 'logits', 1e-7).dataSync();
      outputs.forEach((row, i) => {
        const clipped = row.map((p) => Math.min(Math.max(p, 1e-7), 1 - 1e-7));
        const expected = Math.log(clipped.reduce((a, b) => a + b, 0)) - Math.log(clipped[i + 1] as number);
        expect(loss[i]).toBeCloseTo(expected, 4);
      });
    });
  });

  it('gives the activation back when the call fails, and applies a temperature to the logits', () => {
    const model = wrap(
      sequential({
        layers: [
          layers.dense({
            inputShape: [784],
            units: 10,
            activation: 'sigmoid',
            ...seededDenseInitializers(6, 0),
          }),
        ],
      }),
      2,
    );
    expect(() => forwardPass(model, tf.zeros([1, 5]), false)).toThrow();
    expect(logitHead(model)?.activation).toBe('sigmoid');
    tf.tidy(() => {
      const pass = forwardPass(model, x(), false);
      const z = ((pass.logits as tf.Tensor).arraySync() as number[][])[0] as number[];
      const top = Math.max(...z);
      const total = z.reduce((a, v) => a + Math.exp((v - top) / 2), 0);
      const probabilities = classProbabilities(pass, model).dataSync();
      z.forEach((v, k) => {
        expect(probabilities[k]).toBeCloseTo(Math.exp((v - top) / 2) / total, 6);
      });
    });
  });
});
