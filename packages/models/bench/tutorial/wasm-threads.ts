// Experiment: can tfjs-backend-wasm's threaded SIMD build run in Node? tfjs 4.22 refuses (its
// WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired false under Node, tensorflow/tfjs#3830) because its loader
// hands emscripten a Blob main script and a blob: worker URL, neither of which Node's worker_threads
// can load. Here the same emscripten module is loaded with real files instead, wrapped in tfjs's own
// BackendWasm, registered under another backend name, and timed against the single-threaded build.
//   node --import tsx --conditions=@mnist/source bench/tutorial/wasm-threads.ts [--threads 2] [--pretend-cores N]
// The threadpool sizes itself from os.cpus() (logical cores / 2, so 1 thread on a 2-core machine); pass
// --pretend-cores to see what more threads do.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { scriptArgs, wholeNumber } from '../../scripts/flags.js';

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  args: scriptArgs(),
  options: { threads: { type: 'string', default: '2' }, 'pretend-cores': { type: 'string', default: '0' } },
});
const threads = wholeNumber('threads', values.threads, 1, 64);
const pretendCores = wholeNumber('pretend-cores', values['pretend-cores'], 0, 256);
const dir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
const factory = require(join(dir, 'tfjs-backend-wasm-threaded-simd.js'));
const { wasmWorkerContents } = require(join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
  wasmWorkerContents: string;
};
// The worker source is shipped as a string meant for a Blob; Node's Worker needs a file.
const workerFile = join(tmpdir(), `tfjs-wasm-worker-${process.pid}.cjs`);
writeFileSync(workerFile, wasmWorkerContents.replace(/\n/g, '\\n'));
if (pretendCores > 0) {
  const real = os.cpus();
  os.cpus = () => Array.from({ length: pretendCores }, (_, i) => real[i % real.length] as os.CpuInfo);
}
const loadStarted = performance.now();
const module = await factory({
  locateFile: (path: string) => (path.endsWith('.worker.js') ? workerFile : join(dir, path)),
  mainScriptUrlOrBlob: join(dir, 'tfjs-backend-wasm-threaded-simd.js'),
});
module.tfjs = {
  init: module.cwrap('init', null, []),
  initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
  getThreadsCount: module.cwrap('get_threads_count', 'number', []),
  registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
  disposeData: module.cwrap('dispose_data', null, ['number']),
  dispose: module.cwrap('dispose', null, []),
};
const loadMs = performance.now() - loadStarted;
setThreadsCount(threads);
tf.registerBackend('wasm-threaded', () => new BackendWasm(module), 0);
for (const kernel of tf.getKernelsForBackend('wasm'))
  tf.registerKernel({ ...kernel, backendName: 'wasm-threaded' });

async function time(backend: string): Promise<Record<string, number>> {
  await tf.setBackend(backend);
  const x = tf.randomNormal([32, 784]);
  const w = tf.randomNormal([784, 100]);
  const cases: Record<string, () => void> = {
    'matMul 32x784·784x100, cached weights': () => tf.matMul(x, w).dispose(),
    'matMul, fresh weights (packing)': () => {
      const fresh = tf.clone(w);
      tf.matMul(x, fresh).dispose();
      fresh.dispose();
    },
  };
  const out: Record<string, number> = {};
  for (const [label, run] of Object.entries(cases)) {
    for (let i = 0; i < 50; i++) run();
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < 500; i++) run();
    out[`${label} (us wall)`] = Math.round(((performance.now() - started) / 500) * 1000);
    const used = process.cpuUsage(cpu);
    out[`${label} (us cpu)`] = Math.round((used.user + used.system) / 500);
  }
  const check = tf.sum(tf.matMul(tf.ones([2, 3]), tf.ones([3, 4]))).dataSync()[0];
  out.check = check ?? Number.NaN;
  x.dispose();
  w.dispose();
  return out;
}

await import('@tensorflow/tfjs-backend-wasm');
const threaded = await time('wasm-threaded');
const actualThreads = (
  tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number } } }
).wasm.tfjs.getThreadsCount();
const single = await time('wasm');
console.log(
  JSON.stringify(
    { loadMs: Math.round(loadMs), threads: actualThreads, threaded, single, load: os.loadavg() },
    null,
    1,
  ),
);
process.exit(0);
