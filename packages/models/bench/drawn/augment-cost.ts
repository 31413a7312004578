/**
 * What the drawing augmentation costs inside the engine: per image, for each transform alone and all together,
 * the WebAssembly twin (engine/assembly/augment.ts) against the TypeScript reference; then the engine's training
 * throughput on the `cnn` with ±2 px shifts against the drawing augmentation, one thread, runs
 * alternating. CPU time of the process (fair on a shared machine), best of the rounds.
 *
 *   pnpm --filter @mnist/models exec node --import tsx --conditions=@mnist/source bench/drawn/augment-cost.ts
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadMnist } from '@mnist/data';
import {
  type AugmentParams,
  augment,
  createModel,
  DRAWING_AUGMENTATION,
  initBackend,
  type MnistModel,
  NO_AUGMENTATION,
  train,
} from '../../src/node.js';
import { packAugmentParams } from '../../src/augment/params.js';
import { engineMemory, engineModule, instantiateEngine } from '../../src/engine/module.js';
import { AUGMENT_SCRATCH_BYTES } from '../../src/generated/engine-layout.js';
import { deriveSeed } from '../../src/random.js';
import { scriptArgs, wholeNumber } from '../../scripts/flags.js';

const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    images: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    'train-images': { type: 'string', default: '3200' },
    'train-rounds': { type: 'string', default: '3' },
  },
});
const count = wholeNumber('images', values.images, 1, 10_000);
const rounds = wholeNumber('rounds', values.rounds, 1);
const trainImages = wholeNumber('train-images', values['train-images'], 1, 60_000);
const trainRounds = wholeNumber('train-rounds', values['train-rounds'], 1);

/** CPU microseconds of the process spent in `work`. */
function cpuMicros(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

const data = await loadMnist();
const images = data.train.images.subarray(0, count * 784);
const module = await engineModule(false);
if (module === undefined) throw new Error('this WebAssembly has no SIMD');
const memory = engineMemory(8 * 2 ** 20, false);
const { exports } = instantiateEngine(module, memory);
const scratch = 1024;
const params = scratch + AUGMENT_SCRATCH_BYTES;
const src = params + 64;
const dst = src + 1024;
const out = new Float32Array(784);

const sets: [string, AugmentParams][] = [
  ['copy (no transform)', NO_AUGMENTATION],
  [
    'affine (rotation, scale, shear, shift)',
    { ...NO_AUGMENTATION, rotation: 12, scale: 0.12, shear: 0.25, translate: 3 },
  ],
  ['elastic field (α 10, σ 3.5)', { ...NO_AUGMENTATION, elasticAlpha: 10, elasticSigma: 3.5 }],
  ['stroke thickness', { ...NO_AUGMENTATION, thicken: 1.5, thin: 0.5 }],
  ['low resolution, every image', { ...NO_AUGMENTATION, lowResProbability: 1 }],
  ['DRAWING_AUGMENTATION (all)', DRAWING_AUGMENTATION],
];
console.log(
  `augmentation cost per image, ${count} training images × best of ${rounds} rounds, CPU time, load ${loadavg()[0]?.toFixed(1)}`,
);
console.log('| transform | WebAssembly µs | TypeScript µs | ratio |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, set] of sets) {
  new Float32Array(memory.buffer, params, 10).set(packAugmentParams(set));
  let wasm = Number.POSITIVE_INFINITY;
  let ts = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    wasm = Math.min(
      wasm,
      cpuMicros(() => {
        const bytes = new Uint8Array(memory.buffer, src, 784);
        for (let i = 0; i < count; i++) {
          bytes.set(images.subarray(i * 784, (i + 1) * 784));
          exports.augmentImage(src, dst, deriveSeed(round, i) | 0, params, scratch);
        }
      }) / count,
    );
    ts = Math.min(
      ts,
      cpuMicros(() => {
        for (let i = 0; i < count; i++)
          augment(images.subarray(i * 784, (i + 1) * 784), out, deriveSeed(round, i), set);
      }) / count,
    );
  }
  console.log(`| ${name} | ${wasm.toFixed(1)} | ${ts.toFixed(1)} | ${(ts / wasm).toFixed(1)}× |`);
}

// Training throughput with and without the augmentation, 1 thread, alternating.
await initBackend('wasm', { log: false });
const trainSet = data.train.take(trainImages);
const perSample: Record<string, number> = {};
console.log(
  `\ncnn training on the engine, 1 thread, ${trainSet.count} images per run, load ${loadavg()[0]?.toFixed(1)}`,
);
for (let round = 0; round < trainRounds; round++) {
  // The same cnn and rates; only what happens to each image differs (shifts are the compact cnn's recipe).
  for (const [label, augmentation] of [
    ['shifts ±2 px', { augmentation: undefined, maxShift: 2 }],
    ['drawing augmentation', { augmentation: DRAWING_AUGMENTATION }],
  ] as const) {
    const base = createModel('cnn', { seed: 1 });
    const model: MnistModel = { ...base, recipe: { ...base.recipe, epochs: 1, ...augmentation } };
    const before = process.cpuUsage();
    const result = await train(model, trainSet, { seed: round, threads: 1 });
    const used = process.cpuUsage(before);
    const micros = (used.user + used.system) / trainSet.count;
    perSample[label] = Math.min(perSample[label] ?? Number.POSITIVE_INFINITY, micros);
    console.log(
      `round ${round + 1}, ${label}: ${micros.toFixed(0)} µs CPU per sample, ${(trainSet.count / result.seconds).toFixed(0)} samples/s wall`,
    );
    model.layersModel.dispose();
  }
}
const plain = perSample['shifts ±2 px'] as number;
const drawn = perSample['drawing augmentation'] as number;
console.log(
  `best: shifts ${plain.toFixed(0)} µs, drawing augmentation ${drawn.toFixed(0)} µs CPU per sample (+${(((drawn - plain) / plain) * 100).toFixed(1)}%)`,
);
