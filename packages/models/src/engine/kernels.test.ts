// Every kernel of the wasm engine against a trusted reference (tfjs's pure-JS cpu backend, tfjs's own Adam,
// the tfjs step's host batch assembly), over many shapes.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { MnistSplit } from '@mnist/data';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adamScalars, KerasAdam } from '../adam.js';
import { LOSS_FROM_LOGITS, LOSS_FROM_PROBABILITIES } from '../generated/engine-layout.js';
import { assembleBatch, sampleSeed } from '../train/batches.js';
import {
  CROSS_ENTROPY_FORMS,
  KERAS_EPSILON,
  logitCrossEntropyPerSample,
  normalizedCrossEntropyPerSample,
} from '../loss.js';
import { mnist } from '../../test/support/data.js';
import { type KernelBench, kernelBench, relativeError, uniform } from '../../test/support/engine.js';

let k: KernelBench;

beforeAll(async () => {
  await tf.setBackend('cpu');
  k = await kernelBench(96);
});

function randomArray(length: number, seed: number): Float32Array {
  return Float32Array.from({ length }, uniform(seed));
}

describe('gemm', () => {
  const shapes = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 8, 16],
    [32, 100, 784],
    [33, 10, 100],
    [17, 13, 29],
    [64, 64, 576],
    [5, 4, 3],
    [6, 12, 1],
  ];
  for (const [m, n, depth] of shapes as [number, number, number][]) {
    it(`C = A·B, Aᵀ·B and C += A·B for m=${m} n=${n} k=${depth}`, () => {
      const a = randomArray(m * depth, m * 31 + n);
      const b = randomArray(depth * n, n * 17 + depth);
      const expected = tf.tidy(() =>
        tf.matMul(tf.tensor2d(a, [m, depth]), tf.tensor2d(b, [depth, n])).dataSync(),
      );
      const pa = k.floats(a);
      const pb = k.floats(b);
      const pc = k.reserve(m * n);
      k.exports.gemm(pa, depth, 1, pb, n, pc, n, m, n, depth, 0);
      expect(relativeError(k.readFloats(pc, m * n), expected)).toBeLessThan(1e-5);
      // Accumulating adds the same product again.
      k.exports.gemm(pa, depth, 1, pb, n, pc, n, m, n, depth, 1);
      expect(
        relativeError(
          k.readFloats(pc, m * n),
          expected.map((v) => 2 * v),
        ),
      ).toBeLessThan(1e-5);
      // Aᵀ·B with A stored as depth × m (row-major): strides (1, m).
      const at = tf.tidy(() => tf.transpose(tf.tensor2d(a, [m, depth])).dataSync());
      const pat = k.floats(at);
      const pc2 = k.reserve(m * n);
      k.exports.gemm(pat, 1, m, pb, n, pc2, n, m, n, depth, 0);
      expect(relativeError(k.readFloats(pc2, m * n), expected)).toBeLessThan(1e-5);
    });
  }

  it('transpose', () => {
    for (const [rows, cols] of [
      [1, 1],
      [3, 9],
      [64, 576],
      [13, 8],
    ] as [number, number][]) {
      const x = randomArray(rows * cols, rows + cols);
      const out = k.reserve(rows * cols);
      k.exports.transpose(k.floats(x), out, rows, cols);
      const expected = tf.tidy(() => tf.transpose(tf.tensor2d(x, [rows, cols])).dataSync());
      expect(Array.from(k.readFloats(out, rows * cols))).toEqual(Array.from(expected));
    }
  });
});

interface ConvCase {
  n: number;
  size: number;
  channels: number;
  filters: number;
  kernel: number;
  stride: number;
  pad: 'same' | 'valid';
}

const CONV_CASES: ConvCase[] = [
  { n: 2, size: 28, channels: 1, filters: 32, kernel: 5, stride: 2, pad: 'same' },
  { n: 2, size: 14, channels: 32, filters: 64, kernel: 3, stride: 2, pad: 'same' },
  { n: 3, size: 7, channels: 64, filters: 64, kernel: 3, stride: 1, pad: 'valid' },
  // The shipped cnn's other layers (CNN_LAYERS): full-resolution 3×3, 5×5/2 on 32 channels, 3×3 same at 14×14.
  { n: 2, size: 28, channels: 1, filters: 32, kernel: 3, stride: 1, pad: 'same' },
  { n: 2, size: 28, channels: 32, filters: 32, kernel: 5, stride: 2, pad: 'same' },
  { n: 2, size: 14, channels: 32, filters: 64, kernel: 3, stride: 1, pad: 'same' },
  { n: 2, size: 14, channels: 64, filters: 64, kernel: 3, stride: 2, pad: 'same' },
  { n: 1, size: 9, channels: 3, filters: 5, kernel: 4, stride: 3, pad: 'same' },
  { n: 2, size: 10, channels: 6, filters: 7, kernel: 2, stride: 1, pad: 'same' },
  { n: 1, size: 8, channels: 2, filters: 4, kernel: 3, stride: 2, pad: 'valid' },
  { n: 2, size: 5, channels: 4, filters: 8, kernel: 5, stride: 1, pad: 'same' },
];

/** The ConvShape struct (engine/assembly/conv.ts) for a case, in memory. */
function convShape(c: ConvCase): { address: number; outSize: number; padTop: number } {
  const outSize =
    c.pad === 'same' ? Math.ceil(c.size / c.stride) : Math.floor((c.size - c.kernel) / c.stride) + 1;
  const padTop =
    c.pad === 'same' ? Math.floor(Math.max((outSize - 1) * c.stride + c.kernel - c.size, 0) / 2) : 0;
  const address = k.ints([
    c.size,
    c.size,
    c.channels,
    outSize,
    outSize,
    c.filters,
    c.kernel,
    c.kernel,
    c.stride,
    padTop,
    padTop,
  ]);
  return { address, outSize, padTop };
}

describe('convolution as im2col + gemm, gradients through gemm + col2im', () => {
  for (const c of CONV_CASES) {
    it(`n=${c.n} ${c.size}×${c.size}×${c.channels} → ${c.filters} filters ${c.kernel}×${c.kernel}/${c.stride} ${c.pad}`, () => {
      const { address: shape, outSize } = convShape(c);
      const depth = c.kernel * c.kernel * c.channels;
      const rows = c.n * outSize * outSize;
      const x = randomArray(c.n * c.size * c.size * c.channels, depth);
      const w = randomArray(depth * c.filters, rows);
      const dy = randomArray(rows * c.filters, c.filters);
      const xShape: [number, number, number, number] = [c.n, c.size, c.size, c.channels];
      const wShape: [number, number, number, number] = [c.kernel, c.kernel, c.channels, c.filters];
      const reference = tf.tidy(() => {
        const xt = tf.tensor4d(x, xShape);
        const wt = tf.tensor4d(w, wShape);
        const upstream = tf.tensor4d(dy, [c.n, outSize, outSize, c.filters]);
        const y = tf.conv2d(xt, wt, c.stride, c.pad);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), upstream)),
        )([xt, wt]) as [tf.Tensor, tf.Tensor];
        return { y: y.dataSync(), dx: dx.dataSync(), dw: dw.dataSync() };
      });
      const px = k.floats(x);
      const pw = k.floats(w);
      const cols = k.reserve(rows * depth);
      const y = k.reserve(rows * c.filters);
      k.exports.im2col(px, cols, c.n, shape);
      k.exports.gemm(cols, depth, 1, pw, c.filters, y, c.filters, rows, c.filters, depth, 0);
      expect(relativeError(k.readFloats(y, rows * c.filters), reference.y)).toBeLessThan(1e-5);

      const pdy = k.floats(dy);
      const dw = k.reserve(depth * c.filters);
      k.exports.gemm(cols, 1, depth, pdy, c.filters, dw, c.filters, depth, c.filters, rows, 0);
      expect(relativeError(k.readFloats(dw, depth * c.filters), reference.dw)).toBeLessThan(1e-5);

      const wt = k.reserve(depth * c.filters);
      k.exports.transpose(pw, wt, depth, c.filters);
      const dcols = k.reserve(rows * depth);
      k.exports.gemm(pdy, c.filters, 1, wt, depth, dcols, depth, rows, depth, c.filters, 0);
      const dx = k.reserve(x.length);
      k.exports.col2im(dcols, dx, c.n, shape);
      expect(relativeError(k.readFloats(dx, x.length), reference.dx)).toBeLessThan(1e-5);
    });
  }
});

describe('element-wise kernels', () => {
  for (const [rows, cols] of [
    [1, 1],
    [7, 10],
    [32, 100],
    [6, 13],
  ] as [number, number][]) {
    it(`bias + relu, relu's gradient and column sums on ${rows}×${cols}`, () => {
      const y = randomArray(rows * cols, rows);
      const bias = randomArray(cols, cols);
      const d = randomArray(rows * cols, rows + cols);
      const expected = tf.tidy(() =>
        tf.relu(tf.add(tf.tensor2d(y, [rows, cols]), tf.tensor1d(bias))).dataSync(),
      );
      const linear = tf.tidy(() => tf.add(tf.tensor2d(y, [rows, cols]), tf.tensor1d(bias)).dataSync());
      const py = k.floats(y);
      k.exports.biasActivation(py, k.floats(bias), rows, cols, 1);
      expect(Array.from(k.readFloats(py, rows * cols))).toEqual(Array.from(expected));
      const pl = k.floats(y);
      k.exports.biasActivation(pl, k.floats(bias), rows, cols, 0);
      expect(Array.from(k.readFloats(pl, rows * cols))).toEqual(Array.from(linear));

      const pd = k.floats(d);
      k.exports.reluBackward(pd, py, rows * cols);
      expect(Array.from(k.readFloats(pd, rows * cols))).toEqual(
        Array.from(d, (v, i) => ((expected[i] as number) > 0 ? v : 0)),
      );
      const sums = k.reserve(cols);
      k.exports.columnSums(k.floats(d), rows, cols, sums);
      const expectedSums = tf.tidy(() => tf.sum(tf.tensor2d(d, [rows, cols]), 0).dataSync());
      expect(relativeError(k.readFloats(sums, cols), expectedSums)).toBeLessThan(1e-6);
    });
  }
});

describe('outputGradient: Keras sparse cross-entropy in both forms and its gradient', () => {
  for (const form of CROSS_ENTROPY_FORMS) {
    for (const activation of ['sigmoid', 'softmax'] as const) {
      for (const rows of [1, 5, 32]) {
        it(`loss from ${form}, ${activation}, ${rows} rows, against autodiff on the cpu backend`, () => {
          const random = uniform(rows * 7 + activation.length + form.length);
          // Wide logits so some probabilities hit the clipping bounds and some sigmoids round to 1.
          const logits = Float32Array.from({ length: rows * 10 }, () => random() * 20);
          const labels = Int32Array.from({ length: rows }, (_, i) => (i * 7) % 10);
          const expected = tf.tidy(() => {
            const z = tf.tensor2d(logits, [rows, 10]);
            const mask = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32');
            const probabilities = (t: tf.Tensor) =>
              activation === 'sigmoid' ? tf.sigmoid(t) : tf.softmax(t);
            const perSampleOf = (t: tf.Tensor) =>
              form === 'logits'
                ? logitCrossEntropyPerSample(t, mask)
                : normalizedCrossEntropyPerSample(probabilities(t), mask, KERAS_EPSILON);
            const grad = tf.grad((t: tf.Tensor) => tf.mean(perSampleOf(t)))(z);
            const correct = tf.sum(
              tf.cast(tf.equal(tf.argMax(probabilities(z), 1), tf.tensor1d(labels, 'int32')), 'float32'),
            );
            return {
              grad: grad.dataSync(),
              loss: tf.sum(perSampleOf(z)).dataSync()[0] as number,
              correct: correct.dataSync()[0] as number,
            };
          });
          const dLogits = k.reserve(rows * 10);
          const stats = k.reserve(4);
          k.exports.outputGradient(
            k.floats(logits),
            k.ints(labels),
            rows,
            10,
            activation === 'sigmoid' ? 0 : 1,
            form === 'logits' ? LOSS_FROM_LOGITS : LOSS_FROM_PROBABILITIES,
            KERAS_EPSILON,
            1 / rows,
            dLogits,
            stats,
            k.reserve(40),
          );
          expect(relativeError(k.readFloats(dLogits, rows * 10), expected.grad)).toBeLessThan(1e-5);
          const [loss, correct] = k.readDoubles(stats, 2) as unknown as [number, number];
          expect(loss).toBeCloseTo(expected.loss, 3);
          expect(correct).toBe(expected.correct);
        });
      }
    }
  }
});

describe('adamUpdate', () => {
  for (const length of [1, 7, 8, 1001]) {
    it(`is Keras 3's Adam over 4 steps on ${length} parameters, gradients summed from 2 buffers`, () => {
      const learningRate = 0.01;
      const start = randomArray(length, length);
      const variable = tf.variable(tf.tensor1d(start));
      const autodiffAdam = new KerasAdam([variable], 1e-7);
      autodiffAdam.learningRate = learningRate;
      // keras/src/optimizers/adam.py's update, written out in float64.
      const reference = {
        w: Float64Array.from(start),
        m: new Float64Array(length),
        v: new Float64Array(length),
      };
      const params = k.floats(start);
      const m = k.reserve(length);
      const v = k.reserve(length);
      const stride = Math.ceil((length * 4) / 64) * 64;
      const grads = k.reserve(0, 2 * stride);
      const hyper = k.reserve(4);
      for (let step = 1; step <= 4; step++) {
        const g0 = randomArray(length, step * 13 + 1);
        const g1 = randomArray(length, step * 13 + 2);
        new Float32Array(k.memory.buffer, grads, length).set(g0);
        new Float32Array(k.memory.buffer, grads + stride, length).set(g1);
        const s = adamScalars(learningRate, step, 1e-7);
        new Float32Array(k.memory.buffer, hyper, 4).set([
          s.alpha,
          s.oneMinusBeta1,
          s.oneMinusBeta2,
          s.epsilon,
        ]);
        k.exports.adamUpdate(params, m, v, grads, stride, 2, 0, length, hyper);
        const sum = Float32Array.from(g0, (g, i) => Math.fround(g + (g1[i] as number)));
        autodiffAdam.minimize(() => tf.sum(tf.mul(variable, tf.tensor1d(sum))));
        const alpha = (learningRate * Math.sqrt(1 - 0.999 ** step)) / (1 - 0.9 ** step);
        for (let i = 0; i < length; i++) {
          const g = sum[i] as number;
          reference.m[i] = (reference.m[i] as number) + (g - (reference.m[i] as number)) * (1 - 0.9);
          reference.v[i] = (reference.v[i] as number) + (g * g - (reference.v[i] as number)) * (1 - 0.999);
          reference.w[i] =
            (reference.w[i] as number) -
            ((reference.m[i] as number) * alpha) / (Math.sqrt(reference.v[i] as number) + 1e-7);
        }
      }
      const engine = k.readFloats(params, length);
      expect(relativeError(engine, reference.w)).toBeLessThan(1e-6);
      // The autodiff step's optimiser does the same float32 arithmetic in tfjs ops.
      expect(relativeError(engine, variable.dataSync())).toBeLessThan(1e-6);
      autodiffAdam.dispose();
      variable.dispose();
    });
  }
});

describe('gatherBatch', () => {
  let train: MnistSplit;
  beforeAll(async () => {
    train = (await mnist()).train.take(500);
  });

  for (const maxShift of [0, 2, 3]) {
    it(`gathers, scales and shifts (maxShift ${maxShift}) exactly as the tfjs step's host batches`, () => {
      const order = Uint32Array.from({ length: train.count }, (_, i) => (i * 7919) % train.count);
      const images = k.bytes(train.images);
      const labels = k.bytes(train.labels);
      const porder = k.ints(order);
      const count = 37;
      const x = k.reserve(count * 784);
      const labelsOut = k.reserve(count);
      const epochSeed = 0xdeadbeef;
      k.exports.gatherBatch(
        images,
        labels,
        porder,
        100,
        count,
        maxShift,
        epochSeed | 0,
        x,
        labelsOut,
        0,
        0,
        0,
      );
      const expected = assembleBatch(train, order, 100, count, maxShift, epochSeed);
      expect(Buffer.from(k.readFloats(x, count * 784).buffer)).toEqual(Buffer.from(expected.x.buffer));
      expect(Array.from(new Int32Array(k.memory.buffer, labelsOut, count))).toEqual(
        Array.from(expected.labels),
      );
    });
  }

  it('draws per-sample seeds identically in WebAssembly and TypeScript', () => {
    for (const [seed, position] of [
      [0, 0],
      [1, 2],
      [0xffffffff, 59_999],
      [123_456_789, 7],
    ] as [number, number][]) {
      expect(k.exports.sampleSeed(seed | 0, position) >>> 0).toBe(sampleSeed(seed, position));
    }
  });
});
