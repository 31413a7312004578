/**
 * What the wasm training kernels buy for tfjs autodiff (`train(…, { engine: 'tfjs' })`, the path of architectures the
 * training engine does not take): `cnn` training throughput (samples/s, batch 64) on
 *   - cpu: tfjs's pure-JS backend, the only one that trains a CNN out of the box without tfjs-node;
 *   - wasm + Conv2DBackpropFilter only: the missing kernel added, wasm's own scalar Conv2DBackpropInput;
 *   - wasm + both kernels (what `initBackend('wasm')` registers);
 * then the training engine (train()'s default) for comparison, and predict latency for one image and throughput for
 * 10,000 images on wasm. The wasm variants alternate in
 * rounds so machine load affects them alike; ratios are against the cpu baseline measured in this process.
 *
 *   node --import tsx --conditions=@mnist/source scripts/bench-cnn.ts [--images 1280] [--rounds 2]
 */
import { parseArgs } from 'node:util';
import { loadMnist } from '@mnist/data';
import {
  Conv2DBackpropInput,
  getKernel,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels } from '../src/tfjs-kernels/index.js';
import { createModel, initBackend, predict, train } from '../src/node.js';
import { scriptArgs, wholeNumber } from './flags.js';

const { values } = parseArgs({
  args: scriptArgs(),
  options: { images: { type: 'string', default: '1280' }, rounds: { type: 'string', default: '2' } },
});
const images = wholeNumber('images', values.images, 64, 60_000);
const rounds = wholeNumber('rounds', values.rounds, 1);
const data = await loadMnist();

async function trainingRate(count: number, engine: 'tfjs' | 'auto' = 'tfjs'): Promise<number> {
  const model = createModel('cnn', { seed: 1 });
  const result = await train(model, data.train.take(count), { epochs: 1, batchSize: 64, seed: 1, engine });
  model.layersModel.dispose();
  return result.history[0]?.samplesPerSecond ?? Number.NaN;
}

await initBackend('cpu', { log: false });
const cpu = await trainingRate(128);
console.log(`cpu: ${cpu.toFixed(1)} samples/s (128 images)`);

// wasm's own Conv2DBackpropInput, captured before initBackend('wasm') replaces it.
await import('@tensorflow/tfjs-backend-wasm');
const original = getKernel(Conv2DBackpropInput, 'wasm') as KernelConfig;
await initBackend('wasm', { log: false });
const ours = getKernel(Conv2DBackpropInput, 'wasm') as KernelConfig;
function useInputKernel(config: KernelConfig): void {
  unregisterKernel(Conv2DBackpropInput, 'wasm');
  registerKernel(config);
}

const filterOnly: number[] = [];
const both: number[] = [];
for (let round = 0; round < rounds; round++) {
  useInputKernel(original);
  filterOnly.push(await trainingRate(images));
  useInputKernel(ours);
  both.push(await trainingRate(images));
}
registerWasmTrainingKernels();
const best = (xs: number[]) => Math.max(...xs);
console.log(
  `wasm, Conv2DBackpropFilter only: ${best(filterOnly).toFixed(0)} samples/s (${(best(filterOnly) / cpu).toFixed(0)}× cpu)`,
);
console.log(
  `wasm, both kernels: ${best(both).toFixed(0)} samples/s (${(best(both) / cpu).toFixed(0)}× cpu, ${(best(both) / best(filterOnly)).toFixed(2)}× filter-only)`,
);

const engineRate = await trainingRate(images, 'auto');
console.log(
  `training engine (train()'s default): ${engineRate.toFixed(0)} samples/s (${(engineRate / best(both)).toFixed(2)}× wasm autodiff with both kernels)`,
);

const model = createModel('cnn', { seed: 1 });
const one = data.test.take(1);
await predict(model, one);
const latencies: number[] = [];
for (let i = 0; i < 50; i++) {
  const started = performance.now();
  await predict(model, one);
  latencies.push(performance.now() - started);
}
latencies.sort((a, b) => a - b);
const started = performance.now();
await predict(model, data.test);
const seconds = (performance.now() - started) / 1000;
console.log(
  `wasm predict: 1 image median ${(latencies[25] as number).toFixed(2)} ms; 10,000 images ${seconds.toFixed(2)} s ` +
    `(${Math.round(10_000 / seconds)} images/s)`,
);
model.layersModel.dispose();
