// The wasm training kernels against tfjs's pure-JS cpu kernels: same inputs, same gradients.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './index.js';

/** A tiny seeded generator so every run compares the same numbers. */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

function randomValues(length: number, random: () => number): Float32Array {
  return Float32Array.from({ length }, random);
}

type Shape4 = [number, number, number, number];

/** The two convolutions whose gradients our wasm kernels provide. */
const CONVOLUTIONS = { conv2d: tf.conv2d, depthwiseConv2d: tf.depthwiseConv2d };

/** Gradients of Σ(conv2d(x, w) ⊙ dy) with respect to x and w on one backend: exactly dX and dW for upstream dy. */
async function convGradients(
  backend: string,
  x: Float32Array,
  w: Float32Array,
  dy: Float32Array,
  shapes: { x: Shape4; w: Shape4; dy: Shape4 },
  strides: number,
  pad: 'same' | 'valid',
  op: 'conv2d' | 'depthwiseConv2d' = 'conv2d',
): Promise<{ dx: Float32Array; dw: Float32Array }> {
  await tf.setBackend(backend);
  const [dx, dw] = tf.tidy(() => {
    const upstream = tf.tensor4d(dy, shapes.dy);
    const grads = tf.grads((...[a, b]: tf.Tensor[]) =>
      tf.sum(tf.mul(CONVOLUTIONS[op](a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), upstream)),
    );
    return grads([tf.tensor4d(x, shapes.x), tf.tensor4d(w, shapes.w)]) as [tf.Tensor, tf.Tensor];
  });
  const result = { dx: (await dx.data()) as Float32Array, dw: (await dw.data()) as Float32Array };
  dx.dispose();
  dw.dispose();
  return result;
}

/** Largest difference, relative to the reference's largest magnitude (float32 sums of many terms differ in order). */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  }
  return worst / scale;
}

function outputSize(size: number, kernel: number, stride: number, pad: 'same' | 'valid'): number {
  return pad === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('registerWasmTrainingKernels', () => {
  it('registers the missing gradients, the faster conv input gradient and transposed matMuls once', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(registerWasmTrainingKernels().sort()).toEqual([
      'BatchMatMul',
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
    ]);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(registerWasmTrainingKernels()).toEqual([]);
  });

  it("transposed matMuls through XNNPACK give the cpu backend's products", async () => {
    const random = uniform(5);
    for (const [m, k, n] of [
      [32, 784, 100],
      [3, 5, 7],
    ] as [number, number, number][]) {
      const a = randomValues(m * k, random);
      const b = randomValues(k * n, random);
      for (const [transposeA, transposeB] of [
        [true, false],
        [false, true],
        [true, true],
      ] as [boolean, boolean][]) {
        const product = async (backend: string) => {
          await tf.setBackend(backend);
          const out = tf.tidy(() =>
            tf.matMul(
              tf.tensor2d(a, transposeA ? [k, m] : [m, k]),
              tf.tensor2d(b, transposeB ? [n, k] : [k, n]),
              transposeA,
              transposeB,
            ),
          );
          const values = (await out.data()) as Float32Array;
          out.dispose();
          return values;
        };
        expect(relativeError(await product('wasm'), await product('cpu'))).toBeLessThan(1e-5);
      }
    }
  });
});

type Op = keyof typeof CONVOLUTIONS;

describe('convolution gradients on wasm match the cpu backend', { timeout: 60_000 }, () => {
  const cases: {
    op: Op;
    strides: number;
    pad: 'same' | 'valid';
    kernel: number;
    channels: [number, number];
    batch: number;
    size: [number, number];
  }[] = [];
  // channels: [in, out] for conv2d, [in, multiplier] for depthwiseConv2d.
  const shapesByOp: Record<
    Op,
    readonly (readonly [readonly [number, number], number, readonly [number, number]])[]
  > = {
    conv2d: [
      [[1, 4], 1, [9, 10]],
      [[3, 8], 4, [12, 11]],
      [[8, 16], 2, [10, 10]],
    ],
    depthwiseConv2d: [
      [[1, 2], 1, [9, 10]],
      [[3, 1], 4, [12, 11]],
      [[4, 3], 2, [10, 10]],
    ],
  };
  for (const op of ['conv2d', 'depthwiseConv2d'] as const)
    for (const strides of [1, 2])
      for (const pad of ['same', 'valid'] as const)
        for (const kernel of [1, 3, 5])
          for (const [channels, batch, size] of shapesByOp[op])
            cases.push({ op, strides, pad, kernel, channels: [...channels], batch, size: [...size] });

  it.each(cases)(
    '$op: stride $strides, $pad, kernel $kernel, channels $channels, batch $batch, input $size',
    async ({ op, strides, pad, kernel, channels, batch, size }) => {
      registerWasmTrainingKernels();
      const [inChannels, second] = channels;
      const outChannels = op === 'conv2d' ? second : inChannels * second;
      const [height, width] = size;
      const shapes = {
        x: [batch, height, width, inChannels] as Shape4,
        w: [kernel, kernel, inChannels, second] as Shape4,
        dy: [
          batch,
          outputSize(height, kernel, strides, pad),
          outputSize(width, kernel, strides, pad),
          outChannels,
        ] as Shape4,
      };
      const random = uniform(height * 1000 + kernel * 10 + strides);
      const count = (shape: Shape4) => shape.reduce((a, b) => a * b);
      const x = randomValues(count(shapes.x), random);
      const w = randomValues(count(shapes.w), random);
      const dy = randomValues(count(shapes.dy), random);
      const cpu = await convGradients('cpu', x, w, dy, shapes, strides, pad, op);
      const wasm = await convGradients('wasm', x, w, dy, shapes, strides, pad, op);
      expect(relativeError(wasm.dw, cpu.dw)).toBeLessThan(1e-5);
      expect(relativeError(wasm.dx, cpu.dx)).toBeLessThan(1e-5);
      // Not a zero-gradient coincidence: the reference has real values.
      expect(cpu.dw.some((v) => Math.abs(v) > 0.1)).toBe(true);
    },
  );

  it.each(['conv2d', 'depthwiseConv2d'] as const)(
    '%s: releases every intermediate buffer it makes on the wasm backend',
    async (op) => {
      registerWasmTrainingKernels();
      await tf.setBackend('wasm');
      const x = tf.randomUniform([2, 11, 11, 3], -1, 1, 'float32', 1);
      const w = tf.randomUniform([3, 3, 3, op === 'conv2d' ? 5 : 2], -1, 1, 'float32', 2);
      const gradients = tf.grads((...[a, b]: tf.Tensor[]) =>
        tf.sum(CONVOLUTIONS[op](a as tf.Tensor4D, b as tf.Tensor4D, 2, 'valid')),
      );
      tf.dispose(gradients([x, w]));
      const tensors = tf.memory().numTensors;
      const buffers = tf.engine().backend.numDataIds();
      for (let i = 0; i < 5; i++) tf.dispose(gradients([x, w]));
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.engine().backend.numDataIds()).toBe(buffers);
      tf.dispose([x, w]);
    },
  );
});

describe('a CNN training step on wasm', { timeout: 60_000 }, () => {
  /** One plain SGD step of a small CNN (conv, stride-2 conv, separable conv, max-pool, dense) from fixed weights; returns the new weights. */
  async function stepWeights(backend: string): Promise<Float32Array[]> {
    await tf.setBackend(backend);
    const model = sequential({
      layers: [
        layers.conv2d({
          inputShape: [12, 12, 1],
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
        }),
        layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, activation: 'relu' }),
        layers.separableConv2d({
          filters: 6,
          kernelSize: 3,
          depthMultiplier: 2,
          padding: 'same',
          activation: 'relu',
        }),
        layers.maxPooling2d({ poolSize: 2 }),
        layers.flatten(),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const random = uniform(42);
    model.setWeights(model.getWeights().map((w) => tf.tensor(randomValues(w.size, random), w.shape)));
    const x = tf.tensor4d(randomValues(5 * 144, random).map(Math.abs), [5, 12, 12, 1]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0], 'int32'), 3);
    const optimizer = tf.train.sgd(0.5);
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar);
    const weights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
    return weights;
  }

  it('updates the weights as the cpu backend does', async () => {
    registerWasmTrainingKernels();
    const cpu = await stepWeights('cpu');
    const wasm = await stepWeights('wasm');
    expect(wasm.length).toBe(cpu.length);
    for (let i = 0; i < cpu.length; i++) {
      expect(relativeError(wasm[i] as Float32Array, cpu[i] as Float32Array)).toBeLessThan(1e-5);
    }
  });
});
