// `pnpm bench` for @mnist/models: per backend present, training samples/s of `simple` and `mlp` at batch 32
// (our train() against tfjs's model.fit measured in the same process as the baseline), and inference:
// latency of one image and throughput over the 10,000 test images, for every model in the zoo.
//
//   pnpm bench                          all backends present
//   pnpm bench --backends wasm          just one
//   pnpm bench --train-samples 12800    samples per timed training epoch (default: 6,400; 1,600 on cpu)

import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist, writeFileAtomicallySync } from '@mnist/data';
import { findMnist } from '@mnist/test-support';
import * as tf from '@tensorflow/tfjs-core';
import {
  backendInfo,
  classify,
  createModel,
  initBackend,
  MODEL_NAMES,
  type MnistModel,
  type ModelName,
  type NodeBackendPreference,
  predict,
  train,
} from '../src/node.js';
import { scriptArgs, wholeNumber } from '../scripts/flags.js';

type Backend = Exclude<NodeBackendPreference, 'auto'>;

const { values: args } = parseArgs({
  args: scriptArgs(),
  options: {
    backends: { type: 'string', default: 'tensorflow,wasm,cpu' },
    'train-samples': { type: 'string' },
  },
});
const BACKENDS: readonly Backend[] = ['tensorflow', 'wasm', 'cpu'];
const backends = (args.backends ?? '').split(',').map((b) => b.trim());
for (const backend of backends) {
  if (!(BACKENDS as readonly string[]).includes(backend))
    throw new Error(`--backends: '${backend}' is not one of ${BACKENDS.join(', ')}.`);
}
const trainSamplesFlag =
  args['train-samples'] === undefined
    ? undefined
    : wholeNumber('train-samples', args['train-samples'], 32, 60_000);

const { data } = await findMnist(loadMnist);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function tryCreate(name: ModelName): MnistModel | undefined {
  try {
    return createModel(name, { seed: 1 });
  } catch {
    return undefined; // a model not in this build of the zoo
  }
}

/** Wall-clock and process CPU seconds of `run`. CPU time is the fair measure on a shared machine: tfjs trains on one thread. */
async function timed(run: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await run();
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: (performance.now() - started) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

/**
 * Samples/s of one training epoch on `count` samples: our train() and, as the baseline, model.fit with the same
 * recipe. The two alternate over three rounds and each keeps its median, so a load spike hits both alike.
 */
async function trainingRate(name: ModelName, count: number) {
  const set = data.train.take(count);
  const warm = createModel(name, { seed: 1 });
  await train(warm, data.train.take(640), { epochs: 1 });
  warm.layersModel.dispose();
  const xs = tf.tensor2d(
    Float32Array.from(set.images, (v) => v / 255),
    [count, 784],
  );
  const ys = tf.tensor1d(set.labels, 'float32');
  const ours: { wall: number; cpu: number }[] = [];
  const fit: { wall: number; cpu: number }[] = [];
  for (let round = 0; round < 3; round++) {
    const model = createModel(name, { seed: 1 });
    ours.push(await timed(() => train(model, set, { epochs: 1, batchSize: 32 })));
    model.layersModel.dispose();

    const baseline = createModel(name, { seed: 1 });
    baseline.layersModel.compile({
      optimizer: tf.train.adam(0.001, 0.9, 0.999, 1e-7),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    fit.push(
      await timed(() =>
        baseline.layersModel.fit(xs, ys, { batchSize: 32, epochs: 1, shuffle: true, verbose: 0 }),
      ),
    );
    baseline.layersModel.dispose();
  }
  tf.dispose([xs, ys]);
  const oursWall = median(ours.map((t) => t.wall));
  const oursCpu = median(ours.map((t) => t.cpu));
  const fitWall = median(fit.map((t) => t.wall));
  const fitCpu = median(fit.map((t) => t.cpu));
  return {
    samplesPerSecond: count / oursWall,
    samplesPerCpuSecond: count / oursCpu,
    fitSamplesPerSecond: count / fitWall,
    fitSamplesPerCpuSecond: count / fitCpu,
    ratioToFit: fitCpu / oursCpu,
  };
}

/** Median latency of classify() on one image, and predict() throughput over `count` test images. */
async function inference(model: MnistModel, count: number) {
  const images = data.test.take(count);
  await predict(model, data.test.take(Math.min(count, 1000)));
  for (let i = 0; i < 5; i++) classify(model, data.test.image(i));
  const latencies: number[] = [];
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    classify(model, data.test.image(i));
    latencies.push(performance.now() - started);
  }
  const started = performance.now();
  await predict(model, images);
  const seconds = (performance.now() - started) / 1000;
  return { latencyMs: median(latencies), images: count, imagesPerSecond: count / seconds };
}

const results: Record<string, unknown> = {};
for (const backend of backends as Backend[]) {
  try {
    await initBackend(backend, { log: false });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const why = (cause instanceof Error ? cause.message : (error as Error).message)
      .split(/\n| at path/)[0]
      ?.slice(0, 120);
    console.log(`\n${backend}: not present, skipped (${why})`);
    continue;
  }
  const info = backendInfo();
  const trainSamples = trainSamplesFlag ?? (backend === 'cpu' ? 1600 : 6400);
  console.log(
    `\n${backend}${info?.simd === undefined ? '' : ` (SIMD ${info.simd ? 'on' : 'off'}, threads ${info.threads ?? '?'})`}` +
      ` — training: one epoch of ${trainSamples} samples at batch 32, median of 3 rounds`,
  );
  const rows: Record<string, unknown> = {};
  for (const name of ['simple', 'mlp'] as const) {
    const rate = await trainingRate(name, trainSamples);
    rows[name] = { training: rate };
    console.log(
      `  ${name.padEnd(7)} train() ${rate.samplesPerSecond.toFixed(0).padStart(6)} samples/s ` +
        `(${rate.samplesPerCpuSecond.toFixed(0).padStart(6)} per CPU-s)   model.fit ` +
        `${rate.fitSamplesPerSecond.toFixed(0).padStart(6)} samples/s (${rate.fitSamplesPerCpuSecond.toFixed(0).padStart(6)} per CPU-s)` +
        `   train() is ${rate.ratioToFit.toFixed(2)}× fit`,
    );
  }
  console.log('  inference: classify() latency for one image (median of 50), predict() over test images');
  for (const name of MODEL_NAMES) {
    const model = tryCreate(name);
    if (model === undefined) {
      console.log(`  ${name.padEnd(7)} not in this build`);
      continue;
    }
    const result = await inference(model, 10_000);
    model.layersModel.dispose();
    rows[name] = { ...(rows[name] as object), inference: result };
    console.log(
      `  ${name.padEnd(7)} ${result.latencyMs.toFixed(2).padStart(7)} ms/image   ` +
        `${result.imagesPerSecond.toFixed(0).padStart(7)} images/s over ${result.images}`,
    );
  }
  results[backend] = { info, ...rows };
}

const out = new URL('../results/bench-models.json', import.meta.url);
writeFileAtomicallySync(
  fileURLToPath(out),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, tfjs: tf.version_core, results }, null, 2)}\n`,
);
console.log(`\nwritten: results/bench-models.json`);
