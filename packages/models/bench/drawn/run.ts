/**
 * `pnpm --filter @mnist/models bench:drawn`: every shipped model on the MNIST test set and on every part of the
 * drawn-digit benchmark (build it first with `bench:drawn:build`): accuracy, calibration (ECE, MCE) before and
 * after temperature scaling, and the verdict thresholds chosen by measurement. Prints markdown tables and writes
 * the figures as JSON under packages/models/results/.
 *
 * Calibration, honestly: the shipped models were trained on all 60,000 training images, so nothing of the training
 * set is held out for them. Two temperatures are fitted and both reported:
 * - `train`: on the last 5,000 training images, as the next cnn's recipe will do with images it never trained on
 *   (for the shipped models these were seen in training, which biases T towards 1 or below);
 * - `drawn`: on the drawn benchmark's first half of digits (every part pooled), reported on the second half.
 * ECE and the verdict statistics are reported on the second half of the drawn digits and on MNIST test images
 * 5,000..9,999 (none of them used for fitting). The verdict thresholds are chosen on the first half for the cnn as
 * shipped (T = 1).
 *
 * Options: --backend wasm|cpu|tensorflow (default wasm) --dir <built benchmark> --max-error 0.01 --out <file>
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist, type MnistSplit } from '@mnist/data';
import { reliabilityDiagram } from '@mnist/metrics';
import { version_core } from '@tensorflow/tfjs-core';
import {
  applyTemperature,
  fitTemperature,
  initBackend,
  loadPretrained,
  type NodeBackendPreference,
  predict,
  pretrainedManifest,
  type PretrainedName,
} from '../../src/node.js';
import { DEFAULT_BENCHMARK_DIR, loadDrawnBenchmark, readManifest } from './files.js';
import { chooseThresholds, verdictStats } from './thresholds.js';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    backend: { type: 'string', default: 'wasm' },
    dir: { type: 'string' },
    'max-error': { type: 'string', default: '0.01' },
    out: { type: 'string' },
  },
});
const maxError = Number(values['max-error']);
const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;
const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

const loadAtStart = loadavg();
const backend = await initBackend(values.backend as NodeBackendPreference, { log: false });
const data = await loadMnist();
const manifest = readManifest();
const parts = loadDrawnBenchmark(values.dir ?? DEFAULT_BENCHMARK_DIR, manifest);
const digits = manifest.source.count;
const half = Math.floor(digits / 2);
console.error(
  `backend ${backend}; MNIST from ${data.source.kind}; drawn benchmark: ${parts.size} parts × ${digits} test digits`,
);

/** Rows `from..to` of a flat probability matrix and a label array. */
function rows(probabilities: Float32Array, labels: Uint8Array, from: number, to: number) {
  return { probabilities: probabilities.subarray(from * 10, to * 10), labels: labels.subarray(from, to) };
}

function accuracy(probabilities: Float32Array, labels: Uint8Array): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++)
      if ((probabilities[i * 10 + c] as number) > (probabilities[i * 10 + best] as number)) best = c;
    if (best === labels[i]) right++;
  }
  return right / labels.length;
}

function concat(chunks: Float32Array[] | Uint8Array[]): Float32Array | Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = chunks[0] instanceof Float32Array ? new Float32Array(total) : new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  command: 'pnpm --filter @mnist/models bench:drawn',
  backend,
  tfjs: version_core,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  loadAverageAtStart: loadAtStart.map((v) => round(v, 2)),
  benchmark: { digits, parts: [...parts.keys()], canvas: manifest.canvas },
  models: {} as Record<string, unknown>,
};
const models = results.models as Record<string, unknown>;
const names = Object.keys(pretrainedManifest) as PretrainedName[];
const accuracyRows: string[] = [];
const calibrationRows: string[] = [];
const verdictRows: string[] = [];
let chosen: ReturnType<typeof chooseThresholds> | undefined;
const probabilitiesByModel = new Map<
  PretrainedName,
  { sets: Map<string, Float32Array>; labels: Map<string, Uint8Array> }
>();

for (const name of names) {
  const model = await loadPretrained(name);
  const sets = new Map<string, Float32Array>();
  const labels = new Map<string, Uint8Array>();
  const started = performance.now();
  sets.set('mnist-test', await predict(model, data.test));
  labels.set('mnist-test', data.test.labels);
  for (const [part, split] of parts as Map<string, MnistSplit>) {
    sets.set(part, await predict(model, split));
    labels.set(part, split.labels);
  }
  const heldOutTrain = data.train.subset(55_000, 60_000);
  const trainProbabilities = await predict(model, heldOutTrain);
  model.layersModel.dispose();
  console.error(
    `${name}: predicted ${[...sets.values()].reduce((n, s) => n + s.length / 10, 0)} images in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  probabilitiesByModel.set(name, { sets, labels });

  // Temperatures: the recipe's way (training tail) and on the first half of the drawn digits.
  const tTrain = fitTemperature(trainProbabilities, heldOutTrain.labels);
  const drawnFit = [...parts.keys()].map((part) =>
    rows(sets.get(part) as Float32Array, labels.get(part) as Uint8Array, 0, half),
  );
  const tDrawn = fitTemperature(
    concat(drawnFit.map((r) => r.probabilities)) as Float32Array,
    concat(drawnFit.map((r) => r.labels)) as Uint8Array,
  );
  const report = (set: string) =>
    set === 'mnist-test'
      ? rows(sets.get(set) as Float32Array, labels.get(set) as Uint8Array, 5000, 10_000)
      : rows(sets.get(set) as Float32Array, labels.get(set) as Uint8Array, half, digits);
  const perSet: Record<string, unknown> = {};
  const accuracyCells: string[] = [];
  const eceCells: string[] = [];
  for (const set of sets.keys()) {
    const acc = accuracy(sets.get(set) as Float32Array, labels.get(set) as Uint8Array);
    const r = report(set);
    const ece = (t: number) => {
      const p = t === 1 ? r.probabilities : applyTemperature(r.probabilities, t);
      const d = reliabilityDiagram(p, r.labels, { bins: 15 });
      return {
        ece: round(d.ece),
        mce: round(d.mce),
        confidence: round(d.confidence),
        accuracy: round(d.accuracy),
      };
    };
    const calibration = { none: ece(1), train: ece(tTrain.temperature), drawn: ece(tDrawn.temperature) };
    perSet[set] = { accuracy: round(acc), images: (labels.get(set) as Uint8Array).length, calibration };
    accuracyCells.push(pct(acc));
    eceCells.push(
      `${calibration.none.ece.toFixed(3)} / ${calibration.train.ece.toFixed(3)} / ${calibration.drawn.ece.toFixed(3)}`,
    );
  }
  accuracyRows.push(`| ${name} | ${accuracyCells.join(' | ')} |`);
  calibrationRows.push(
    `| ${name} (T ${tTrain.temperature.toFixed(2)} / ${tDrawn.temperature.toFixed(2)}) | ${eceCells.join(' | ')} |`,
  );
  models[name] = {
    testAccuracyInManifest: pretrainedManifest[name]?.testAccuracy,
    temperature: {
      train: round(tTrain.temperature),
      drawn: round(tDrawn.temperature),
      trainFit: tTrain,
      drawnFit: tDrawn,
    },
    sets: perSet,
  };

  if (name === 'cnn') {
    chosen = chooseThresholds(
      concat(drawnFit.map((r) => r.probabilities)) as Float32Array,
      concat(drawnFit.map((r) => r.labels)) as Uint8Array,
      maxError,
    );
  }
}

// Verdicts with the chosen thresholds, on the report halves, for every model as shipped (T = 1).
if (chosen !== undefined) {
  results.verdictThresholds = {
    chosenOn: 'cnn as shipped, drawn digits 0..half-1, all parts',
    maxConfidentError: maxError,
    ...chosen,
  };
  for (const name of names) {
    const { sets, labels } = probabilitiesByModel.get(name) as {
      sets: Map<string, Float32Array>;
      labels: Map<string, Uint8Array>;
    };
    const drawnReport = [...parts.keys()].map((part) =>
      rows(sets.get(part) as Float32Array, labels.get(part) as Uint8Array, half, digits),
    );
    const drawn = verdictStats(
      concat(drawnReport.map((r) => r.probabilities)) as Float32Array,
      concat(drawnReport.map((r) => r.labels)) as Uint8Array,
      chosen.thresholds,
    );
    const mnistReport = rows(
      sets.get('mnist-test') as Float32Array,
      labels.get('mnist-test') as Uint8Array,
      5000,
      10_000,
    );
    const mnist = verdictStats(mnistReport.probabilities, mnistReport.labels, chosen.thresholds);
    (models[name] as Record<string, unknown>).verdicts = { drawn, mnist };
    verdictRows.push(
      `| ${name} | ${pct(drawn.coverage)} | ${pct(drawn.confidentError)} | ${pct(drawn.errorsFlagged)} | ${pct(drawn.uncertainTopTwo)} | ${pct(mnist.coverage)} | ${pct(mnist.confidentError)} | ${pct(mnist.errorsFlagged)} |`,
    );
  }
}

const setNames = ['mnist-test', ...parts.keys()];
console.log(`\n### Accuracy (MNIST test: 10,000 images; drawn parts: the first ${digits} test digits)\n`);
console.log(`| model | ${setNames.join(' | ')} |`);
console.log(`| --- | ${setNames.map(() => '---:').join(' | ')} |`);
for (const row of accuracyRows) console.log(row);
console.log(
  `\n### Expected calibration error, 15 bins: none / T fitted on train 55k–60k / T fitted on drawn digits 0–${half - 1}` +
    `\n(on MNIST test 5,000–9,999 and drawn digits ${half}–${digits - 1})\n`,
);
console.log(`| model (T train / T drawn) | ${setNames.join(' | ')} |`);
console.log(`| --- | ${setNames.map(() => '---:').join(' | ')} |`);
for (const row of calibrationRows) console.log(row);
if (chosen !== undefined) {
  console.log(
    `\n### Verdicts with minConfidence ${chosen.thresholds.minConfidence}, minMargin ${chosen.thresholds.minMargin}` +
      ` (chosen on the cnn's drawn digits 0–${half - 1}: most confident answers with ≤ ${pct(maxError)} of them wrong)\n`,
  );
  console.log(
    '| model | drawn: confident | wrong when confident | errors flagged | truth in "a or b?" | MNIST: confident | wrong when confident | errors flagged |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of verdictRows) console.log(row);
}
results.loadAverageAtEnd = loadavg().map((v) => round(v, 2));
const out =
  values.out ??
  join(here, '..', '..', 'results', `drawn-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
renameSync(`${out}.tmp`, out);
console.error(`\nresults written to ${out}`);
