// A/B of the mlp's matrix products on wasm: XNNPACK through tfjs's kernels (as autodiff and the generic
// path run them, weights re-packed because they changed) against the fast path's unpacked SIMD GEMM on the
// same heap. CPU time per call, best and median of 5 × 500 calls.
//   node --import tsx --conditions=@mnist/source bench/tutorial/products.ts
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { instantiateSimdKernels } from '../../src/train/fast-simd.js';

await tf.setBackend('wasm');
await tf.ready();
const backend = tf.backend() as unknown as {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
};
const simd = instantiateSimdKernels(backend.wasm.asm.memory);
if (simd === undefined) throw new Error('This runtime has no WebAssembly SIMD.');
const at = (t: tf.Tensor) => backend.dataIdMap.get(t.dataId).memoryOffset;

function bench(label: string, run: () => void): void {
  for (let i = 0; i < 100; i++) run();
  const perCall: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const cpu = process.cpuUsage();
    for (let i = 0; i < 500; i++) run();
    const used = process.cpuUsage(cpu);
    perCall.push((used.user + used.system) / 500);
  }
  perCall.sort((a, b) => a - b);
  console.log(`${label.padEnd(48)} best ${perCall[0]?.toFixed(1)}  median ${perCall[2]?.toFixed(1)} µs cpu`);
}

// d(input) = dz·Wᵀ for the mlp's three layers (rows × units times (features × units)ᵀ).
for (const [rows, units, features] of [
  [32, 100, 100],
  [32, 10, 100],
  [32, 100, 784],
] as const) {
  const dz = tf.randomNormal([rows, units]);
  const w = tf.randomNormal([features, units]);
  const shape = `${rows}×${units}·(${features}×${units})ᵀ`;
  bench(`XNNPACK dz·Wᵀ ${shape}`, () => tf.tidy(() => void tf.matMul(dz, tf.transpose(w))));
  bench(`SIMD    dz·Wᵀ ${shape}`, () =>
    tf.tidy(() => {
      const wT = tf.transpose(w);
      const out = tf.zeros([rows, features]);
      simd.gemm(at(dz), units * 4, 4, at(wT), at(out), 0, rows, features, units, 0);
    }),
  );
}
const x = tf.randomNormal([32, 784]);
const w = tf.randomNormal([784, 100]);
const bias = tf.randomNormal([100]);
const dz = tf.randomNormal([32, 100]);
bench('XNNPACK relu(x·W + b), W changed', () => {
  const fresh = tf.clone(w);
  tf.tidy(() => void tf.fused.matMul({ a: x, b: fresh, bias, activation: 'relu' }));
  fresh.dispose();
});
bench('SIMD    relu(x·W + b), W changed', () => {
  const fresh = tf.clone(w);
  tf.tidy(() => {
    const out = tf.zeros([32, 100]);
    simd.gemm(at(x), 784 * 4, 4, at(fresh), at(out), at(bias), 32, 100, 784, 1);
  });
  fresh.dispose();
});
bench('XNNPACK dW = transpose(x)·dz', () => tf.tidy(() => void tf.matMul(tf.transpose(x), tf.clone(dz))));
bench('SIMD    dW = xᵀ·dz (x read through strides)', () =>
  tf.tidy(() => {
    const out = tf.zeros([784, 100]);
    simd.gemm(at(x), 4, 784 * 4, at(dz), at(out), 0, 784, 100, 32, 0);
  }),
);
bench('  (a clone of W, included in both "W changed")', () => tf.clone(w).dispose());
