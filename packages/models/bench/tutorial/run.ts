// `pnpm bench:tutorial`: the Keras tutorial's job, timed end to end on every tfjs backend present and, when a
// Python with Keras and/or PyTorch is importable, side by side with the committed Python references; then the
// compact cnn's recipe (the cnn shipped before the drawing-robust one, COMPACT_CNN_LAYERS): our train() against
// bench/tutorial/torch_cnn_reference.py (same architecture, batch, Adam, shifts), samples/s of each and their
// ratio, and the time its full 12-epoch recipe takes at our rate.
//
// Per backend and model (simple, mlp): the library's `train()` on the full 60,000 images (5 epochs, batch 32,
// Adam 0.001, reshuffled every epoch), evaluation on the 10,000 test images, inference latency (1 image)
// and throughput (10,000), peak resident memory; plain `model.fit` of the same model as the reference path
// (its accuracy must be within 0.3 points). Writes everything as JSON under packages/models/results/.
//
// Then the shipped cnn's architecture (CNN_LAYERS) the same way, with its recipe's ±2 px shifts instead of the
// drawing augmentation (which PyTorch has no twin of).
//
// Ends with one line per workload: our training time over the best peer's (Keras, PyTorch or JAX for the dense
// models; PyTorch for the cnns), under the machine's CPU, vector extensions and WebAssembly features.
//
// Options: --engine auto|wasm|tfjs (default auto) --backends wasm,cpu (default: every backend present except cpu,
// which takes ~an hour; add it explicitly) --models simple,mlp --epochs 5 --seed 1 --no-reference (skip
// model.fit) --no-python --no-keras --no-torch --no-jax --cnn-epochs 2 (0: skip the cnn part; 12: the whole recipe)
// --cnn-limit N (train the cnn on the first N images only, both sides: for a loaded machine)
// --shipped-cnn-epochs 1 (0: skip the shipped cnn's race)
// --python <exe> --out <file.json>
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  loadMnist,
  type MnistData,
  seededPermutation as permutation,
  writeFileAtomicallySync,
} from '@mnist/data';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import {
  backendInfo,
  createModel,
  evaluate,
  initBackend,
  type MnistModel,
  type NodeBackendPreference,
  predict,
  train,
} from '../../src/node.js';
import { deriveSeed } from '../../src/random.js';
import type { TrainingRecipe } from '../../src/model.js';
import { CNN_LAYERS, type CnnLayerSpec, cnnRecipe } from '../../src/zoo/cnn.js';
import { COMPACT_CNN_LAYERS, compactCnnRecipe } from '../compact-cnn.js';
import { mnistDir } from './mnist-files.js';
import { runTorchCnn } from './torch-cnn.js';
import { scriptArgs, wholeNumber } from '../../scripts/flags.js';
import { cnnModel } from '../cnn-model.js';
import { describeMachine, machineInfo } from '../machine.js';

type ModelName = 'simple' | 'mlp';

// The shipped cnn's recipe with ±2 px shifts in place of the drawing augmentation, which has no PyTorch twin:
// a race of the architecture and the training loop, not of the augmentation.
const SHIPPED_CNN_RACE_RECIPE: Readonly<TrainingRecipe> = Object.freeze({
  ...cnnRecipe,
  augmentation: undefined,
  maxShift: 2,
});

const here = dirname(fileURLToPath(import.meta.url));
// Strict: a mistyped flag (say --cnn-epoch 0) stops the run instead of being ignored for half an hour.
const { values: args } = parseArgs({
  args: scriptArgs(),
  strict: true,
  options: {
    engine: { type: 'string' },
    backends: { type: 'string' },
    models: { type: 'string' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    'cnn-epochs': { type: 'string' },
    'cnn-limit': { type: 'string' },
    'shipped-cnn-epochs': { type: 'string' },
    python: { type: 'string' },
    out: { type: 'string' },
    'no-reference': { type: 'boolean' },
    'no-python': { type: 'boolean' },
    'no-keras': { type: 'boolean' },
    'no-torch': { type: 'boolean' },
    'no-jax': { type: 'boolean' },
  },
});
/** `text` if it is one of `allowed`, else an error naming `--flag`. */
function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text))
    throw new Error(`--${flag}: '${text}' is not one of ${allowed.join(', ')}.`);
  return text as T;
}
/** A comma-separated flag, each item one of `allowed`. */
const listOf = <T extends string>(flag: string, text: string, allowed: readonly T[]): T[] =>
  text.split(',').map((item) => oneOf(flag, item, allowed));
const epochs = wholeNumber('epochs', args.epochs ?? '5', 1);
const seed = wholeNumber('seed', args.seed ?? '1');
// The cnn races' flags, checked before anything runs (0 epochs skips a race).
const cnnEpochs = wholeNumber('cnn-epochs', args['cnn-epochs'] ?? '2');
const shippedCnnEpochs = wholeNumber('shipped-cnn-epochs', args['shipped-cnn-epochs'] ?? '1');
const cnnLimit =
  args['cnn-limit'] === undefined ? undefined : wholeNumber('cnn-limit', args['cnn-limit'], 1, 60_000);
const batchSize = 32;
const models = listOf<ModelName>('models', args.models ?? 'simple,mlp', ['simple', 'mlp']);
// --engine: what train() runs its steps on (default auto: the wasm engine for these models).
const engineChoice = oneOf('engine', args.engine ?? 'auto', ['auto', 'wasm', 'tfjs'] as const);
const ourLabel = `train() ${engineChoice}`;

interface TrainFigures {
  epochSeconds: number[];
  secondsPerEpoch: number;
  trainSeconds: number;
  samplesPerSecond: number;
  trainLoss: number[];
  trainAccuracy: number[];
  testAccuracy: number;
  testLoss: number;
  evaluateSeconds: number;
}

function peakRssMiB(): number {
  // maxRSS is in KiB and never goes down: the process's peak so far.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

function summarise(epochSeconds: number[], loss: number[], accuracy: number[], samples: number) {
  const total = epochSeconds.reduce((a, b) => a + b, 0);
  return {
    epochSeconds: epochSeconds.map((s) => round(s)),
    secondsPerEpoch: round(total / epochSeconds.length),
    trainSeconds: round(total),
    samplesPerSecond: round((samples * epochSeconds.length) / total, 1),
    trainLoss: loss.map((v) => round(v, 5)),
    trainAccuracy: accuracy.map((v) => round(v, 5)),
  };
}

/** What users get: the library's train() (its default path), then evaluate(). */
async function trainLibrary(
  name: ModelName,
  data: MnistData,
): Promise<{ model: MnistModel; figures: TrainFigures }> {
  const model = createModel(name, { seed });
  const result = await train(model, data.train, {
    epochs,
    batchSize,
    learningRate: 0.001,
    seed,
    engine: engineChoice,
  });
  const history = result.history;
  const evaluation = await evaluate(model, data.test);
  return {
    model,
    figures: {
      ...summarise(
        history.map((h) => h.seconds),
        history.map((h) => h.loss),
        history.map((h) => h.accuracy),
        data.train.count,
      ),
      testAccuracy: round(evaluation.accuracy, 5),
      testLoss: round(evaluation.loss, 5),
      evaluateSeconds: round(evaluation.seconds),
    },
  };
}

/** The reference path: stock tfjs-layers `compile` + `fit`, as a tfjs user would write the tutorial job. */
async function trainWithFit(name: ModelName, data: MnistData): Promise<TrainFigures> {
  const model = createModel(name, { seed });
  const layersModel: LayersModel = model.layersModel;
  layersModel.compile({
    optimizer: tf.train.adam(0.001, 0.9, 0.999, 1e-7),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const count = data.train.count;
  const xs = tf.tidy(() => tf.div(tf.tensor2d(data.train.images, [count, 784], 'float32'), 255));
  const ys = tf.tensor1d(data.train.labels, 'float32');
  const epochSeconds: number[] = [];
  const losses: number[] = [];
  const accuracies: number[] = [];
  // Same init (createModel's seed) and the same seeded order every epoch as train(), so the accuracy gap measures
  // the implementations, not two different shuffles (fit's own shuffle uses Math.random). One fit call per epoch
  // keeps the compiled Adam's state across epochs, as a single fit would.
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = tf.tensor1d(Int32Array.from(permutation(count, deriveSeed(seed, epoch))), 'int32');
    const [xe, ye] = [tf.gather(xs, order), tf.gather(ys, order)];
    order.dispose();
    const started = performance.now();
    const history = await layersModel.fit(xe, ye, { batchSize, epochs: 1, shuffle: false, verbose: 0 });
    epochSeconds.push((performance.now() - started) / 1000);
    losses.push(history.history.loss?.[0] as number);
    accuracies.push((history.history.acc ?? history.history.accuracy)?.[0] as number);
    xe.dispose();
    ye.dispose();
  }
  xs.dispose();
  ys.dispose();
  const evaluation = await evaluate(model, data.test);
  layersModel.dispose();
  return {
    ...summarise(epochSeconds, losses, accuracies, count),
    testAccuracy: round(evaluation.accuracy, 5),
    testLoss: round(evaluation.loss, 5),
    evaluateSeconds: round(evaluation.seconds),
  };
}

async function inference(model: MnistModel, data: MnistData) {
  const one = data.test.images.subarray(0, 784);
  for (let i = 0; i < 20; i++) await predict(model, one);
  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    await predict(model, one);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  await predict(model, data.test);
  const started = performance.now();
  await predict(model, data.test);
  const seconds = (performance.now() - started) / 1000;
  return {
    latencyMsMedian: round(latencies[Math.floor(latencies.length / 2)] as number, 3),
    latencyMsP95: round(latencies[Math.floor(latencies.length * 0.95)] as number, 3),
    throughputImagesPerSecond: round(data.test.count / seconds, 0),
  };
}

type Framework = 'keras' | 'torch' | 'jax';
const PIP_NAMES: Readonly<Record<Framework, string>> = {
  keras: 'tensorflow-cpu keras',
  torch: 'torch',
  jax: 'jax jaxlib optax',
};

/** Runs the committed Python reference if a Python with the framework imports; undefined otherwise. */
function runPython(framework: Framework, dataDir: string): Record<string, unknown> | undefined {
  const python = args.python ?? 'python3';
  const probe = spawnSync(python, ['-c', `import ${framework}`], { stdio: 'ignore' });
  if (probe.status !== 0) {
    console.log(
      `  ${framework}: not importable with '${python}' (pip install ${PIP_NAMES[framework]} to compare)`,
    );
    return undefined;
  }
  console.log(`  running bench/tutorial/keras_reference.py --framework ${framework} ...`);
  const run = spawnSync(
    python,
    [
      join(here, 'keras_reference.py'),
      dataDir,
      '--framework',
      framework,
      '--models',
      models.join(','),
      '--epochs',
      String(epochs),
      '--seed',
      String(seed),
    ],
    { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' }, maxBuffer: 1 << 24 },
  );
  if (run.status !== 0) {
    console.log(
      `  ${framework}: the reference script failed (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
    return undefined;
  }
  const lastLine = run.stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(lastLine) as Record<string, unknown>;
}

function presentBackends(): NodeBackendPreference[] {
  if (args.backends)
    return listOf<NodeBackendPreference>('backends', args.backends, ['tensorflow', 'wasm', 'cpu']);
  const list: NodeBackendPreference[] = [];
  try {
    // Resolvable and loadable only when the optional native addon installed.
    spawnSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node')"], { stdio: 'ignore' }).status ===
      0 && list.push('tensorflow');
  } catch {
    // not present
  }
  list.push('wasm');
  return list;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
    )
    .join('\n');
}

/** One cnn race: an architecture from the zoo's layer lists and a recipe PyTorch can follow exactly. */
interface CnnRace {
  title: string;
  layers: readonly CnnLayerSpec[];
  recipe: Readonly<TrainingRecipe>;
  epochs: number;
}

/**
 * A cnn recipe on our default path against the same layers and recipe in PyTorch, same run, same images:
 * samples/s of each and their ratio. PyTorch builds the model from the very layer list we pass it.
 */
async function cnnRace(data: MnistData, dataDir: string, race: CnnRace): Promise<Record<string, unknown>> {
  const backend = await initBackend('auto', { log: false });
  const { recipe, epochs: raceEpochs } = race;
  const model = cnnModel(race.layers, recipe, seed);
  console.log(
    `\n== ${race.title}: ${model.layersModel.countParams().toLocaleString('en')} weights, batch ${recipe.batchSize}, Adam ${recipe.learningRate} ×${recipe.learningRateDecay}/epoch, ±${recipe.maxShift} px shifts, ${raceEpochs} of its ${recipe.epochs} epochs, load ${loadavg()[0]?.toFixed(1)}`,
  );
  const trainSet = data.train.take(cnnLimit ?? data.train.count);
  const result = await train(model, trainSet, { epochs: raceEpochs, seed });
  const evaluation = await evaluate(model, data.test);
  const weights = model.layersModel.countParams();
  model.layersModel.dispose();
  const epochSeconds = result.history.map((h) => h.seconds);
  const ourRate = (trainSet.count * epochSeconds.length) / epochSeconds.reduce((a, b) => a + b, 0);
  const engine =
    result.engine.kind === 'wasm'
      ? `wasm engine, ${result.engine.threads} thread(s)`
      : `tfjs ${result.engine.backend}`;
  const ours = {
    backend,
    images: trainSet.count,
    engine: result.engine,
    epochSeconds: epochSeconds.map((v) => round(v)),
    samplesPerSecond: round(ourRate, 1),
    testAccuracy: round(evaluation.accuracy, 5),
    fullRecipeSecondsEstimate: round((recipe.epochs * data.train.count) / ourRate, 1),
  };
  console.log(
    `ours (train(), ${engine}): ${ourRate.toFixed(0)} samples/s, ${epochSeconds.map((v) => v.toFixed(1)).join(' / ')} s per epoch, test accuracy ${(evaluation.accuracy * 100).toFixed(2)}% after ${raceEpochs} epoch(s); the ${recipe.epochs}-epoch recipe ≈ ${(ours.fullRecipeSecondsEstimate / 60).toFixed(1)} min`,
  );
  let torch: Record<string, unknown> | undefined;
  if (args['no-python'] === undefined && args['no-torch'] === undefined) {
    const run = runTorchCnn({
      python: args.python ?? 'python3',
      dataDir,
      layers: race.layers,
      recipe,
      epochs: raceEpochs,
      seed,
      // The same images on both sides: without it PyTorch trained on all 60,000 against our --cnn-limit.
      limit: trainSet.count,
    });
    if (run.ok) torch = run.report;
    else console.log(`torch: ${run.why}`);
  }
  if (torch === undefined) return { ours };
  // Same layer list on both sides; a different weight count would mean the two built different networks.
  if (torch.parameters !== weights) {
    console.log(`torch built ${String(torch.parameters)} weights against our ${weights}: no ratio`);
    return { ours, torch };
  }
  const theirRate = torch.samplesPerSecond as number;
  const ratio = ourRate / theirRate;
  console.log(
    `torch ${String(torch.version)} (${String(torch.threads)} threads, ${String(torch.parameters)} weights): ${theirRate.toFixed(0)} samples/s, test accuracy ${((torch.testAccuracy as number) * 100).toFixed(2)}%`,
  );
  console.log(`ratio ours/torch (samples/s): ${ratio.toFixed(2)} (target ≥ 0.5, stretch 1.0)`);
  return { ours, torch, ratio: round(ratio, 3) };
}

/**
 * Per workload, our training time over the fastest peer's in this run (below 1: we are faster), printed as one
 * table and returned for the results file. The cnns' peer is PyTorch (same layer list, same recipe).
 */
function printAgainstBestPeer(
  ours: Record<string, Record<ModelName, TrainFigures>>,
  python: Partial<Record<Framework, Record<string, unknown>>>,
  results: Record<string, unknown>,
): Record<string, { ours: number; peer: string; theirs: number; ratio: number }> {
  const rows: string[][] = [['workload', 'ours s', 'best peer', 'peer s', 'ours / peer']];
  const out: Record<string, { ours: number; peer: string; theirs: number; ratio: number }> = {};
  const add = (workload: string, oursSeconds: number, peer: string, theirSeconds: number) => {
    const ratio = oursSeconds / theirSeconds;
    out[workload] = {
      ours: round(oursSeconds, 2),
      peer,
      theirs: round(theirSeconds, 2),
      ratio: round(ratio, 3),
    };
    rows.push([workload, oursSeconds.toFixed(2), peer, theirSeconds.toFixed(2), ratio.toFixed(2)]);
  };
  for (const model of models) {
    const fastestOurs = Object.values(ours)
      .map((figures) => figures[model]?.trainSeconds)
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b)[0];
    const peers = (Object.entries(python) as [Framework, Record<string, unknown>][])
      .map(([name, report]) => ({
        name: `${name} ${String(report.version)}`,
        seconds: (report.models as Record<string, TrainFigures | undefined>)[model]?.trainSeconds,
      }))
      .filter((p): p is { name: string; seconds: number } => p.seconds !== undefined)
      .sort((a, b) => a.seconds - b.seconds);
    const best = peers[0];
    if (fastestOurs !== undefined && best !== undefined)
      add(`${model}, ${epochs} epoch${epochs === 1 ? "" : "s"} of 60,000`, fastestOurs, best.name, best.seconds);
  }
  for (const key of ['cnn', 'shippedCnn']) {
    const race = results[key] as
      | {
          ours: { samplesPerSecond: number; images: number };
          torch?: { samplesPerSecond: number; version: string };
        }
      | undefined;
    if (race?.torch === undefined) continue;
    // The same images on both sides: the time ratio is the inverse of the rate ratio.
    const oursSeconds = race.ours.images / race.ours.samplesPerSecond;
    const theirSeconds = race.ours.images / race.torch.samplesPerSecond;
    add(
      key === 'cnn' ? 'compact cnn, per epoch' : 'shipped cnn, per epoch',
      oursSeconds,
      `torch ${race.torch.version}`,
      theirSeconds,
    );
  }
  if (rows.length > 1)
    console.log(`\n== ours against the fastest peer in this run (training time)\n${table(rows)}`);
  return out;
}

async function main(): Promise<void> {
  const machine = {
    ...machineInfo(),
    tfjs: tf.version_core,
    loadAverageAtStart: loadavg().map((v) => round(v, 2)),
  };
  console.log(
    `tutorial job benchmark: ${models.join(', ')}; ${epochs} epochs, batch ${batchSize}, Adam 0.001, seed ${seed}`,
  );
  console.log(
    `machine: ${describeMachine(machine)}; tfjs ${machine.tfjs}, load ${machine.loadAverageAtStart.join(' ')}`,
  );

  const dataDir = mnistDir();
  const loadStarted = performance.now();
  const data = await loadMnist({ dir: dataDir, download: false });
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  console.log(
    `data: loaded and verified ${data.train.count} + ${data.test.count} images from ${data.source.kind} in ${loadSeconds.toFixed(2)} s`,
  );

  const results: Record<string, unknown> = {
    machine,
    engine: engineChoice,
    epochs,
    batchSize,
    seed,
    dataLoadSeconds: round(loadSeconds),
    backends: {},
  };
  const backends = results.backends as Record<string, unknown>;
  const ours: Record<string, Record<ModelName, TrainFigures>> = {};

  for (const preference of presentBackends()) {
    const name = await initBackend(preference, { log: false });
    const info = backendInfo();
    console.log(
      `\n== backend ${name}${info?.simd ? ' (SIMD)' : ''}${info?.threads ? `, ${info.threads} thread(s)` : ''}`,
    );
    const perModel: Record<string, unknown> = {};
    ours[name] = {} as Record<ModelName, TrainFigures>;
    for (const modelName of models) {
      const { model, figures } = await trainLibrary(modelName, data);
      const infer = await inference(model, data);
      model.layersModel.dispose();
      const rssAfterTrain = peakRssMiB();
      ours[name][modelName] = figures;
      console.log(
        `${modelName.padEnd(6)} ${ourLabel}: ${figures.secondsPerEpoch.toFixed(2)} s/epoch, ${figures.samplesPerSecond.toFixed(0)} samples/s, test accuracy ${(figures.testAccuracy * 100).toFixed(2)}%, peak RSS ${rssAfterTrain} MiB; predict 1 image ${infer.latencyMsMedian} ms, 10k at ${infer.throughputImagesPerSecond} images/s`,
      );
      let reference: TrainFigures | undefined;
      if (args['no-reference'] === undefined) {
        reference = await trainWithFit(modelName, data);
        const gap = Math.abs(reference.testAccuracy - figures.testAccuracy) * 100;
        console.log(
          `${''.padEnd(6)} model.fit: ${reference.secondsPerEpoch.toFixed(2)} s/epoch, test accuracy ${(reference.testAccuracy * 100).toFixed(2)}% (gap ${gap.toFixed(2)} points: ${gap <= 0.3 ? 'within' : 'OUTSIDE'} 0.3); ${ourLabel} is ${(reference.trainSeconds / figures.trainSeconds).toFixed(2)}× faster`,
        );
      }
      perModel[modelName] = {
        train: figures,
        inference: infer,
        modelFit: reference,
        peakRssMiB: peakRssMiB(),
      };
    }
    backends[name] = { info, models: perModel };
  }

  if (args['no-python'] === undefined) {
    console.log('\n== Python reference (same data files, same job)');
    const python: Record<string, unknown> = {};
    // Keras, PyTorch's eager loop and JAX's jit-compiled epoch; each can be left out with --no-<framework>.
    for (const framework of ['keras', 'torch', 'jax'] as const) {
      if (args[`no-${framework}`] !== undefined) continue;
      const report = runPython(framework, dataDir);
      if (report === undefined) continue;
      python[framework] = report;
      const theirs = report.models as Record<ModelName, TrainFigures>;
      const rows: string[][] = [['', ...models.map((m) => `${m} s/epoch`), 'total s', 'test acc (mlp)']];
      rows.push([
        `${framework} ${String(report.version)}`,
        ...models.map((m) => theirs[m]?.secondsPerEpoch.toFixed(2) ?? '-'),
        models.reduce((sum, m) => sum + (theirs[m]?.trainSeconds ?? 0), 0).toFixed(1),
        theirs.mlp ? `${(theirs.mlp.testAccuracy * 100).toFixed(2)}%` : '-',
      ]);
      for (const [backend, figures] of Object.entries(ours)) {
        const total = models.reduce((sum, m) => sum + (figures[m]?.trainSeconds ?? 0), 0);
        const theirTotal = models.reduce((sum, m) => sum + (theirs[m]?.trainSeconds ?? 0), 0);
        rows.push([
          `tfjs ${backend} ${ourLabel}`,
          ...models.map((m) => figures[m]?.secondsPerEpoch.toFixed(2) ?? '-'),
          total.toFixed(1),
          figures.mlp ? `${(figures.mlp.testAccuracy * 100).toFixed(2)}%` : '-',
        ]);
        rows.push([
          `  ratio ours/${framework}`,
          ...models.map((m) =>
            figures[m] && theirs[m] ? (figures[m].trainSeconds / theirs[m].trainSeconds).toFixed(2) : '-',
          ),
          (total / theirTotal).toFixed(2),
          '',
        ]);
      }
      console.log(table(rows));
    }
    if (Object.keys(python).length === 0)
      console.log('  no Python reference available: our figures stand alone.');
    results.python = python;
  }

  // Results keep their keys ('cnn' is the compact race); 0 epochs skips a race.
  const races: { key: string; race: CnnRace }[] = [
    {
      key: 'cnn',
      race: {
        title: 'compact cnn recipe',
        layers: COMPACT_CNN_LAYERS,
        recipe: compactCnnRecipe,
        epochs: cnnEpochs,
      },
    },
    {
      key: 'shippedCnn',
      race: {
        title: 'shipped cnn architecture, shifts only',
        layers: CNN_LAYERS,
        recipe: SHIPPED_CNN_RACE_RECIPE,
        epochs: shippedCnnEpochs,
      },
    },
  ];
  for (const { key, race } of races) {
    if (race.epochs > 0) results[key] = await cnnRace(data, dataDir, race);
  }

  results.againstBestPeer = printAgainstBestPeer(
    ours,
    (results.python ?? {}) as Partial<Record<Framework, Record<string, unknown>>>,
    results,
  );
  console.log(`\nmachine: ${describeMachine(machine)}`);

  results.loadAverageAtEnd = loadavg().map((v) => round(v, 2));
  results.peakRssMiB = peakRssMiB();
  const out =
    args.out ??
    join(here, '..', '..', 'results', `tutorial-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileAtomicallySync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults written to ${out}`);
}

await main();
