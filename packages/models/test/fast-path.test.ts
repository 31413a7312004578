// The fast training path computes what the reference path computes: from the same seed and the same
// batches, a few steps of FastDenseTrainer leave the same weights (to float tolerance) as plain tfjs
// `optimizer.minimize` of Keras's loss through the layers model, on every backend present.
import type { MnistSplit } from '@mnist/data';
import * as tf from '@tensorflow/tfjs-core';
import { layers, regularizers, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, initBackend, type MnistModel } from '../src/node.js';
import { FastDenseTrainer, fastDenseLayers } from '../src/train/fast-dense.js';
import { simdModuleBytes } from '../src/train/fast-simd.js';
import { fastStepFor } from '../src/train/fast-step.js';
import { FAST_KERNELS, registerFastWasmKernels } from '../src/train/fast-wasm.js';
import { assembleBatch } from '../src/train/batches.js';
import { autodiffStep } from '../src/train/step.js';
import { seededPermutation as permutation } from '@mnist/data';
import { KERAS_EPSILON, sparseCrossEntropy } from '../src/train/loss.js';
import { mnist } from './support/data.js';

const BATCH = 32;
const STEPS = 6;
const ADAM = {
  learningRate: 0.001,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: KERAS_EPSILON,
  lossEpsilon: KERAS_EPSILON,
};

interface HostBatch {
  x: Float32Array;
  labels: Int32Array;
  mask: Float32Array;
}

/** STEPS batches of real training images, taken in a fixed scrambled order. */
function batchesOf(train: MnistSplit, size = BATCH): HostBatch[] {
  const out: HostBatch[] = [];
  for (let s = 0; s < STEPS; s++) {
    const x = new Float32Array(size * 784);
    const labels = new Int32Array(size);
    const mask = new Float32Array(size * 10);
    for (let r = 0; r < size; r++) {
      const index = ((s * size + r) * 7919) % train.count;
      const image = train.image(index);
      for (let p = 0; p < 784; p++) x[r * 784 + p] = (image[p] as number) / 255;
      labels[r] = train.label(index);
      mask[r * 10 + train.label(index)] = 1;
    }
    out.push({ x, labels, mask });
  }
  return out;
}

/** The reference path: tfjs's own Adam minimising Keras's loss through the layers model (autodiff). */
function referenceSteps(
  model: MnistModel,
  batches: HostBatch[],
  rateAt?: (step: number) => number,
): number[][] {
  const optimizer = tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  const stats: number[][] = [];
  for (const [step, batch] of batches.entries()) {
    if (rateAt) (optimizer as unknown as { learningRate: number }).learningRate = rateAt(step);
    const size = batch.labels.length;
    const [loss, correct] = tf.tidy(() => {
      const x = tf.tensor2d(batch.x, [size, 784]);
      const mask = tf.tensor2d(batch.mask, [size, 10]);
      const labels = tf.tensor1d(batch.labels, 'int32');
      let outputs: tf.Tensor | undefined;
      const value = optimizer.minimize(() => {
        outputs = tf.keep(model.layersModel.apply(x) as tf.Tensor);
        return sparseCrossEntropy(outputs, mask);
      }, true) as tf.Scalar;
      const right = tf.sum(tf.cast(tf.equal(tf.argMax(outputs as tf.Tensor, 1), labels), 'float32'));
      (outputs as tf.Tensor).dispose();
      return [value.dataSync()[0] as number, right.dataSync()[0] as number];
    });
    stats.push([loss * size, correct]);
  }
  optimizer.dispose();
  return stats;
}

function fastSteps(model: MnistModel, batches: HostBatch[], rateAt?: (step: number) => number): number[][] {
  const fastLayers = fastDenseLayers(model.layersModel);
  if (fastLayers === undefined) throw new Error(`${model.name} is not a dense stack`);
  const trainer = new FastDenseTrainer(fastLayers, ADAM);
  const stats: number[][] = [];
  for (const [step, batch] of batches.entries()) {
    if (rateAt) trainer.setLearningRate(rateAt(step));
    const size = batch.labels.length;
    const values = tf.tidy(() =>
      trainer.step(tf.tensor2d(batch.x, [size, 784]), tf.tensor1d(batch.labels, 'int32')),
    );
    stats.push(Array.from(values.dataSync()));
    values.dispose();
  }
  trainer.dispose();
  return stats;
}

function maxAbsDifference(a: MnistModel, b: MnistModel): { max: number; scale: number } {
  const wa = a.layersModel.getWeights().map((w) => w.dataSync());
  const wb = b.layersModel.getWeights().map((w) => w.dataSync());
  let max = 0;
  let scale = 0;
  wa.forEach((values, i) => {
    const other = wb[i] as typeof values;
    for (let j = 0; j < values.length; j++) {
      max = Math.max(max, Math.abs((values[j] as number) - (other[j] as number)));
      scale = Math.max(scale, Math.abs(values[j] as number));
    }
  });
  return { max, scale };
}

function initialDistance(model: MnistModel, seed: number): number {
  const fresh = createModel(model.name as 'simple' | 'mlp', { seed });
  const { max } = maxAbsDifference(model, fresh);
  fresh.layersModel.dispose();
  return max;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`fast path on ${backend}`, () => {
    let batches: HostBatch[];
    beforeAll(async () => {
      await initBackend(backend);
      registerFastWasmKernels();
      batches = batchesOf((await mnist()).train);
    });

    it('uses its custom kernels exactly where the backend has them', () => {
      const expected = backend === 'wasm';
      for (const name of Object.values(FAST_KERNELS)) {
        expect(tf.getKernel(name, backend) !== undefined, name).toBe(expected);
      }
    });

    for (const name of ['simple', 'mlp'] as const) {
      it(`${name}: ${STEPS} Adam steps give the reference path's weights, loss and accuracy`, () => {
        const seed = 1234;
        const reference = createModel(name, { seed });
        const fast = createModel(name, { seed });
        const referenceStats = referenceSteps(reference, batches);
        const before = tf.memory().numTensors;
        const fastStats = fastSteps(fast, batches);
        // No tensor is left behind by the fast path's steps (its Adam moments are freed by dispose()).
        expect(tf.memory().numTensors).toBe(before);

        const { max, scale } = maxAbsDifference(reference, fast);
        // Training moved weights by up to STEPS × lr = 6e-3; the paths agree within 1% of ONE step (1e-5).
        // Not bit-exact: XNNPACK and tfjs's reference kernels sum in different orders, and Adam's m/√v
        // turns such rounding in tiny gradients into differences of a few 1e-6.
        expect(initialDistance(reference, seed)).toBeGreaterThan(STEPS * ADAM.learningRate * 0.5);
        expect(scale).toBeGreaterThan(0.01);
        expect(max).toBeLessThan(1e-5);
        fastStats.forEach(([lossSum, correct], step) => {
          const [referenceLoss, referenceCorrect] = referenceStats[step] as [number, number];
          expect(lossSum).toBeCloseTo(referenceLoss, 3);
          expect(correct).toBe(referenceCorrect);
        });
        reference.layersModel.dispose();
        fast.layersModel.dispose();
      });
    }

    it('batches of 30 (not a multiple of 4) and a learning-rate change match the reference too', async () => {
      const odd = batchesOf((await mnist()).train, 30);
      const rateAt = (step: number) => (step < 3 ? 0.001 : 0.0005);
      const reference = createModel('mlp', { seed: 99 });
      const fast = createModel('mlp', { seed: 99 });
      const referenceStats = referenceSteps(reference, odd, rateAt);
      const fastStats = fastSteps(fast, odd, rateAt);
      expect(maxAbsDifference(reference, fast).max).toBeLessThan(1e-5);
      expect(fastStats.map((s) => s[1])).toEqual(referenceStats.map((s) => s[1]));
      reference.layersModel.dispose();
      fast.layersModel.dispose();
    });

    it("through train()'s step seam: fastStepFor leaves the same weights as autodiffStep", async () => {
      const { train: trainSet } = await mnist();
      const order = permutation(trainSet.count, 5);
      const reference = createModel('mlp', { seed: 7 });
      const fast = createModel('mlp', { seed: 7 });
      const referenceStep = autodiffStep(reference, 0.001);
      const fastStep = fastStepFor(fast, 0.001);
      expect(fastStep).toBeDefined();
      const referenceStats: number[][] = [];
      const fastStats: number[][] = [];
      for (let b = 0; b < STEPS; b++) {
        const batch = assembleBatch(trainSet, order, b * BATCH, BATCH);
        const r = referenceStep.run(batch);
        const f = (fastStep as NonNullable<typeof fastStep>).run(batch);
        referenceStats.push(Array.from(r.dataSync()));
        fastStats.push(Array.from(f.dataSync()));
        r.dispose();
        f.dispose();
      }
      referenceStep.dispose();
      fastStep?.dispose();
      expect(maxAbsDifference(reference, fast).max).toBeLessThan(1e-5);
      fastStats.forEach(([loss, correct], i) => {
        expect(loss).toBeCloseTo(referenceStats[i]?.[0] as number, 3);
        expect(correct).toBe(referenceStats[i]?.[1]);
      });
      reference.layersModel.dispose();
      fast.layersModel.dispose();
    });

    it('a softmax output and a linear hidden layer train the same as the reference too', () => {
      const build = () =>
        sequential({
          layers: [
            layers.dense({ inputShape: [784], units: 16, useBias: false }),
            layers.dense({ units: 10, activation: 'softmax' }),
          ],
        });
      const reference = build();
      const fast = build();
      fast.setWeights(reference.getWeights());
      const wrap = (layersModel: typeof reference): MnistModel => ({
        name: 'custom',
        layersModel,
        inputKind: 'flat',
        recipe: {
          optimizer: 'adam',
          learningRate: 0.001,
          loss: 'sparse-categorical-crossentropy',
          batchSize: BATCH,
          epochs: 1,
        },
      });
      referenceSteps(wrap(reference), batches);
      fastSteps(wrap(fast), batches);
      const { max } = maxAbsDifference(wrap(reference), wrap(fast));
      expect(max).toBeLessThan(1e-5);
      reference.dispose();
      fast.dispose();
    });
  });
}

describe('fast path eligibility', () => {
  it('takes plain dense stacks and refuses anything it would not train exactly', () => {
    expect(fastDenseLayers(createModel('mlp', { seed: 1 }).layersModel)?.map((l) => l.activation)).toEqual([
      'relu',
      'relu',
      'sigmoid',
    ]);
    const tanhHidden = sequential({
      layers: [
        layers.dense({ inputShape: [784], units: 8, activation: 'tanh' }),
        layers.dense({ units: 10, activation: 'sigmoid' }),
      ],
    });
    expect(fastDenseLayers(tanhHidden)).toBeUndefined();
    const regularised = sequential({
      layers: [
        layers.dense({
          inputShape: [784],
          units: 10,
          activation: 'sigmoid',
          kernelRegularizer: regularizers.l2(),
        }),
      ],
    });
    expect(fastDenseLayers(regularised)).toBeUndefined();
    const convolutional = sequential({
      layers: [
        layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 3 }),
        layers.flatten(),
        layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    expect(fastDenseLayers(convolutional)).toBeUndefined();
    // train()'s seam: the cnn keeps the generic autodiff step.
    const cnn = createModel('cnn', { seed: 1 });
    expect(fastStepFor(cnn, 0.001)).toBeUndefined();
    cnn.layersModel.dispose();
  });

  it('its SIMD module is valid WebAssembly', () => {
    expect(WebAssembly.validate(simdModuleBytes())).toBe(true);
  });
});
