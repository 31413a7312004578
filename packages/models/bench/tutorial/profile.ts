// Per-batch profile of one training step of the tutorial's models on a tfjs backend, every lever side by side
// in one process: model.fit, a lean autodiff loop, and the fast path. Usage (from packages/models):
//   node bench/tutorial/build.mjs bench/tutorial/profile.ts && node .cache/bench/profile.mjs [wasm|cpu] [mlp|simple] [batches]
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { FastDenseTrainer, fastDenseLayers } from '../../src/train/fast-dense.js';
import { registerFastWasmKernels, registerFastWasmMatMul } from '../../src/train/fast-wasm.js';
import { readMnistTrain } from './mnist-files.js';

const backend = process.argv[2] ?? 'wasm';
const kind = process.argv[3] ?? 'mlp';
const B = Number(process.argv[4] ?? 300);
await tf.setBackend(backend);
await tf.ready();
registerFastWasmKernels();
const train = readMnistTrain();
const N = B * 32;
const x = new Float32Array(N * 784);
for (let i = 0; i < x.length; i++) x[i] = (train.images[i] as number) / 255;
const y = new Int32Array(train.labels.subarray(0, N));
const mask = new Float32Array(N * 10);
for (let i = 0; i < N; i++) mask[i * 10 + (y[i] as number)] = 1;

function make(): tfl.Sequential {
  const init = (i: number) => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 + i }) });
  const layers =
    kind === 'mlp'
      ? [
          tfl.layers.dense({ inputShape: [784], units: 100, activation: 'relu', ...init(0) }),
          tfl.layers.dense({ units: 100, activation: 'relu', ...init(1) }),
          tfl.layers.dense({ units: 10, activation: 'sigmoid', ...init(2) }),
        ]
      : [tfl.layers.dense({ inputShape: [784], units: 10, activation: 'sigmoid', ...init(0) })];
  return tfl.sequential({ layers });
}
// Keras's loss as MODELS-CORE's train/loss.ts writes it.
function loss(p: tf.Tensor, m: tf.Tensor): tf.Scalar {
  const c = tf.clipByValue(p, 1e-7, 1 - 1e-7);
  return tf.mean(tf.sub(tf.log(tf.sum(c, 1)), tf.log(tf.sum(tf.mul(c, m), 1))));
}
const batch = (b: number) =>
  [
    tf.tensor2d(x.subarray(b * 32 * 784, (b + 1) * 32 * 784), [32, 784]),
    tf.tensor1d(y.subarray(b * 32, (b + 1) * 32), 'int32'),
    tf.tensor2d(mask.subarray(b * 320, (b + 1) * 320), [32, 10]),
  ] as const;
// CPU time of this process as well as wall time: other jobs share the 2 cores, and CPU time is what a
// lever changes; wall time is what users see.
async function time(label: string, f: () => unknown): Promise<number> {
  const t = performance.now();
  const c = process.cpuUsage();
  await f();
  const cpu = process.cpuUsage(c);
  const ms = (performance.now() - t) / B;
  const cpuMs = (cpu.user + cpu.system) / 1000 / B;
  console.log(`${label.padEnd(52)} ${ms.toFixed(3)} ms/batch wall, ${cpuMs.toFixed(3)} ms/batch cpu`);
  return cpuMs;
}
const xs = tf.tensor2d(x, [N, 784]);
const ys = tf.tensor1d(y, 'float32');
for (let rep = 0; rep < 3; rep++) {
  console.log(`--- ${backend} ${kind} rep ${rep}`);
  const fitModel = make();
  fitModel.compile({
    optimizer: tf.train.adam(0.001),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const fit = await time('model.fit', () =>
    fitModel.fit(xs, ys, { batchSize: 32, epochs: 1, shuffle: true, verbose: 0 }),
  );
  const lean = make();
  const opt = tf.train.adam(0.001);
  const leanMs = await time('lean autodiff loop (minimize, loss read each batch)', () => {
    for (let b = 0; b < B; b++) {
      const l = tf.tidy(() => {
        const [xb, , mb] = batch(b);
        return opt.minimize(() => loss(lean.apply(xb) as tf.Tensor, mb), true) as tf.Scalar;
      });
      l.dataSync();
      l.dispose();
    }
  });
  if (backend === 'wasm') {
    // The same autodiff loop with transposed products routed to XNNPACK (registerFastWasmMatMul).
    const original = tf.getKernel('BatchMatMul', 'wasm') as tf.KernelConfig;
    registerFastWasmMatMul();
    const lean2 = make();
    const opt2 = tf.train.adam(0.001);
    await time('lean autodiff loop + XNNPACK transposed matMul', () => {
      for (let b = 0; b < B; b++) {
        const l = tf.tidy(() => {
          const [xb, , mb] = batch(b);
          return opt2.minimize(() => loss(lean2.apply(xb) as tf.Tensor, mb), true) as tf.Scalar;
        });
        l.dataSync();
        l.dispose();
      }
    });
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel(original);
    lean2.dispose();
    opt2.dispose();
  }
  const fastModel = make();
  const layers = fastDenseLayers(fastModel);
  if (!layers) throw new Error('not a dense stack');
  const trainer = new FastDenseTrainer(layers, {
    learningRate: 0.001,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    lossEpsilon: 1e-7,
  });
  const fastMs = await time('fast path (stats read each batch)', () => {
    for (let b = 0; b < B; b++) {
      const s = tf.tidy(() => {
        const [xb, yb] = batch(b);
        return trainer.step(xb, yb);
      });
      s.dataSync();
      s.dispose();
    }
  });
  trainer.dispose();
  console.log(
    `ratios: fit/fast ${(fit / fastMs).toFixed(2)}  lean/fast ${(leanMs / fastMs).toFixed(2)}  tensors ${tf.memory().numTensors}`,
  );
  fitModel.dispose();
  lean.dispose();
  fastModel.dispose();
  opt.dispose();
}

// Where a fast-path batch goes, kernel by kernel (wall time inside each kernel; the rest is JS dispatch).
{
  const stats = new Map<string, { n: number; ms: number }>();
  for (const k of tf.getKernelsForBackend(backend)) {
    const f = k.kernelFunc;
    k.kernelFunc = ((args: Parameters<tf.KernelFunc>[0]) => {
      const t = performance.now();
      const r = f(args);
      const key = k.kernelName;
      const s = stats.get(key) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += performance.now() - t;
      stats.set(key, s);
      return r;
    }) as tf.KernelFunc;
  }
  const model = make();
  const layers = fastDenseLayers(model);
  if (!layers) throw new Error('not a dense stack');
  const trainer = new FastDenseTrainer(layers, {
    learningRate: 0.001,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    lossEpsilon: 1e-7,
  });
  for (let rep = 0; rep < 2; rep++) {
    stats.clear();
    const t = performance.now();
    for (let b = 0; b < B; b++) {
      const s = tf.tidy(() => {
        const [xb, yb] = batch(b);
        return trainer.step(xb, yb);
      });
      s.dataSync();
      s.dispose();
    }
    const total = (performance.now() - t) / B;
    const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
    const inKernels = rows.reduce((acc, [, s]) => acc + s.ms, 0) / B;
    const calls = rows.reduce((acc, [, s]) => acc + s.n, 0) / B;
    console.log(
      `fast path: ${total.toFixed(3)} ms/batch, in kernels ${inKernels.toFixed(3)} ms (${calls.toFixed(0)} calls), outside ${(total - inKernels).toFixed(3)} ms`,
    );
    if (rep === 1)
      for (const [k, s] of rows)
        console.log(
          `  ${k.padEnd(30)} ${(s.n / B).toFixed(1).padStart(5)} calls ${((s.ms / B) * 1000).toFixed(1).padStart(8)} us/batch`,
        );
  }
}
