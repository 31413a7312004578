/**
 * `pnpm --filter @mnist/models bench:drawn`: every shipped model on the MNIST test set and on every part of the
 * drawn-digit benchmark (build it first with `bench:drawn:build`): accuracy, calibration (ECE, MCE) before and
 * after temperature scaling, verdicts at the thresholds in use (DEFAULT_VERDICT_THRESHOLDS) beside the pair a
 * held-out choice would give. Writes the figures into the generated module src/generated/drawn-benchmark.ts (`drawnBenchmark`, exported by @mnist/models: the models README and the
 * web demo quote it), prints them as the markdown tables the README shows, and writes a fuller record as JSON
 * under packages/models/results/.
 *
 * Held-out data chooses, test data measures. The `cnn` trains on the first 55,000 training images: its temperature
 * was fitted on the last 5,000 (training digits 55,000–59,999) by the training script, and the verdict thresholds
 * are chosen here on those same held-out digits drawn in every part's way (`bench:drawn:build -- --heldout`), at
 * the cnn's shipped temperature. MNIST test and the benchmark (test digits) are only measured. `simple` and `mlp`
 * trained on all 60,000 (the tutorial flow) and ship no temperature; their "after" column uses a T fitted on the
 * last 5,000 training images, which they saw in training (biased, reported as such).
 *
 * Options: --backend wasm|cpu|tensorflow (default wasm) --dir <built benchmark> --max-error 0.01 --out <file>
 */
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist, writeFileAtomicallySync } from '@mnist/data';
import { reliabilityDiagram } from '@mnist/metrics';
import { version_core } from '@tensorflow/tfjs-core';
import {
  applyTemperature,
  DEFAULT_VERDICT_THRESHOLDS,
  fitTemperature,
  initBackend,
  loadPretrained,
  type NodeBackendPreference,
  predict,
  pretrainedManifest,
  type PretrainedName,
} from '../../src/node.js';
import {
  DRAWN_BENCHMARK_COMMAND,
  DRAWN_BENCHMARK_MODULE,
  drawnBenchmarkModuleSource,
} from '../../src/drawn-benchmark/codegen.js';
import type { DrawnBenchmarkFigures, DrawnModelFigures } from '../../src/drawn-benchmark/types.js';
import {
  DEFAULT_BENCHMARK_DIR,
  HELDOUT_DIR,
  HELDOUT_FIRST,
  HELDOUT_MANIFEST_PATH,
  loadDrawnBenchmark,
  readManifest,
} from '../../test/support/drawn/files.js';
import { DRAWN_PARTS } from '../../test/support/drawn/parts.js';
import { drawnReport } from '../../test/support/drawn/report.js';
import { chooseThresholds, verdictStats } from './thresholds.js';
import { positiveNumber, scriptArgs } from '../../scripts/flags.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..', '..');
const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    backend: { type: 'string', default: 'wasm' },
    dir: { type: 'string' },
    'max-error': { type: 'string', default: '0.01' },
    out: { type: 'string' },
  },
});
const maxError = positiveNumber('max-error', values['max-error'], 1);
const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

const loadAtStart = loadavg();
const backend = await initBackend(values.backend as NodeBackendPreference, { log: false });
const data = await loadMnist();
const manifest = readManifest();
const parts = loadDrawnBenchmark(values.dir ?? DEFAULT_BENCHMARK_DIR, manifest);
const heldoutParts = loadDrawnBenchmark(HELDOUT_DIR, readManifest(HELDOUT_MANIFEST_PATH));
const heldoutTrain = data.train.subset(HELDOUT_FIRST, data.train.count);
const digits = manifest.source.count;
console.error(
  `backend ${backend}; MNIST from ${data.source.kind}; drawn benchmark: ${parts.size} parts × ${digits} test digits; ` +
    `held-out drawings: ${heldoutParts.size} parts × ${heldoutTrain.count} training digits`,
);

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

function concat<T extends Float32Array | Uint8Array>(chunks: T[]): T {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = (chunks[0] instanceof Float32Array ? new Float32Array(total) : new Uint8Array(total)) as T;
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  command: DRAWN_BENCHMARK_COMMAND,
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
let chosen: ReturnType<typeof chooseThresholds> | undefined;
/** Each model's probabilities as shipped (at its temperature) on the benchmark's sets, for the verdict table. */
const shippedByModel = new Map<PretrainedName, Map<string, Float32Array>>();
/** What the generated module records of each model. */
const figuresOf = new Map<PretrainedName, Omit<DrawnModelFigures, 'verdicts'>>();
const labelsOf = new Map<string, Uint8Array>([['mnist-test', data.test.labels]]);
for (const [part, split] of parts) labelsOf.set(part, split.labels);
const setNames = [...labelsOf.keys()];

for (const name of names) {
  const shippedModel = await loadPretrained(name);
  const shippedT = shippedModel.temperature ?? 1;
  // The network's own probabilities (T = 1); temperatures are applied to them below.
  const { temperature: _shipped, ...model } = shippedModel;
  const started = performance.now();
  const raw = new Map<string, Float32Array>();
  raw.set('mnist-test', await predict(model, data.test));
  for (const [part, split] of parts) raw.set(part, await predict(model, split));
  const heldoutProbabilities = await predict(model, heldoutTrain);
  const heldoutDrawn = await Promise.all([...heldoutParts.values()].map((split) => predict(model, split)));
  model.layersModel.dispose();
  console.error(`${name}: predicted in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  // "After" temperature: the shipped one where there is one (fitted on held-out digits by the training script),
  // else fitted here on the last 5,000 training images (which simple and mlp trained on).
  const fitted = fitTemperature(heldoutProbabilities, heldoutTrain.labels);
  const after = shippedModel.temperature !== undefined ? shippedT : fitted.temperature;
  const shipped = new Map<string, Float32Array>();
  const perSet: Record<
    string,
    { accuracy: number; images: number; calibration: Record<string, { ece: number }> }
  > = {};
  for (const set of setNames) {
    const probabilities = raw.get(set) as Float32Array;
    const labels = labelsOf.get(set) as Uint8Array;
    shipped.set(set, shippedT === 1 ? probabilities : applyTemperature(probabilities, shippedT));
    const acc = accuracy(probabilities, labels);
    const ece = (t: number) => {
      const d = reliabilityDiagram(t === 1 ? probabilities : applyTemperature(probabilities, t), labels, {
        bins: 15,
      });
      return {
        ece: round(d.ece),
        mce: round(d.mce),
        confidence: round(d.confidence),
        accuracy: round(d.accuracy),
      };
    };
    const calibration = { before: ece(1), after: ece(after) };
    perSet[set] = { accuracy: round(acc), images: labels.length, calibration };
  }
  shippedByModel.set(name, shipped);
  const setFigures = (set: string) => {
    const s = perSet[set] as (typeof perSet)[string];
    const ece = {
      before: s.calibration.before?.ece ?? Number.NaN,
      after: s.calibration.after?.ece ?? Number.NaN,
    };
    return { accuracy: s.accuracy, images: s.images, ece };
  };
  figuresOf.set(name, {
    name,
    trainedAt: pretrainedManifest[name]?.date ?? 'unknown',
    temperature: {
      value: round(after),
      source: shippedModel.temperature !== undefined ? 'shipped' : 'fitted-on-seen-digits',
    },
    mnistTest: setFigures('mnist-test'),
    drawn: Object.fromEntries([...parts.keys()].map((part) => [part, setFigures(part)])),
  });
  models[name] = {
    testAccuracyInManifest: pretrainedManifest[name]?.testAccuracy,
    temperature: { shipped: shippedModel.temperature ?? null, after: round(after), heldoutFit: fitted },
    sets: perSet,
  };

  if (name === 'cnn') {
    // The thresholds: on the held-out digits drawn in every way, as the cnn is shipped (at its temperature).
    chosen = chooseThresholds(
      concat(heldoutDrawn.map((p) => (shippedT === 1 ? p : applyTemperature(p, shippedT)))),
      concat([...heldoutParts.values()].map((split) => split.labels)),
      maxError,
    );
  }
}

// Verdicts with the chosen thresholds on the benchmark and MNIST test, for every model as shipped.
if (chosen === undefined)
  throw new Error('bench:drawn: no pretrained cnn to choose the verdict thresholds on.');
// Every model's verdicts are measured at the rule the code uses; the held-out choice is reported beside it.
const thresholds = DEFAULT_VERDICT_THRESHOLDS;
const chosenOn = `cnn as shipped, held-out training digits ${HELDOUT_FIRST}–59,999 drawn in every part's way`;
results.verdictThresholds = { chosenOn, maxConfidentError: maxError, ...chosen };
const cnnShipped = shippedByModel.get('cnn') as Map<string, Float32Array>;
const chosenOnTest = verdictStats(
  concat([...parts.keys()].map((part) => cnnShipped.get(part) as Float32Array)),
  concat([...parts.keys()].map((part) => labelsOf.get(part) as Uint8Array)),
  chosen.thresholds,
);
const figureModels: Partial<Record<PretrainedName, DrawnModelFigures>> = {};
const roundStats = ({ thresholds: _, ...stats }: ReturnType<typeof verdictStats>) =>
  Object.fromEntries(Object.entries(stats).map(([key, v]) => [key, round(v)])) as Omit<
    typeof stats,
    'thresholds'
  >;
for (const name of names) {
  const shipped = shippedByModel.get(name) as Map<string, Float32Array>;
  const drawnSets = [...parts.keys()];
  const drawn = verdictStats(
    concat(drawnSets.map((part) => shipped.get(part) as Float32Array)),
    concat(drawnSets.map((part) => labelsOf.get(part) as Uint8Array)),
    thresholds,
  );
  const mnist = verdictStats(
    shipped.get('mnist-test') as Float32Array,
    labelsOf.get('mnist-test') as Uint8Array,
    thresholds,
  );
  (models[name] as Record<string, unknown>).verdicts = { drawn, mnist };
  figureModels[name] = {
    ...(figuresOf.get(name) as Omit<DrawnModelFigures, 'verdicts'>),
    verdicts: { drawn: roundStats(drawn), mnistTest: roundStats(mnist) },
  };
}

const loadAtEnd = loadavg();
const figures: DrawnBenchmarkFigures = {
  command: DRAWN_BENCHMARK_COMMAND,
  date: new Date().toISOString(),
  measuredWith: {
    backend,
    tfjs: version_core,
    node: process.version,
    loadAverage: [round(loadAtStart[0] ?? 0, 2), round(loadAtEnd[0] ?? 0, 2)],
  },
  digits,
  parts: [...parts.keys()].map((name) => {
    const plain = DRAWN_PARTS.find((part) => part.name === name)?.plain;
    if (plain === undefined)
      throw new Error(`bench:drawn: part '${name}' of the manifest is not in parts.ts.`);
    return { name, description: manifest.parts[name]?.description ?? '', plain };
  }),
  verdictThresholds: {
    thresholds: chosen.thresholds,
    maxConfidentError: maxError,
    chosenOn,
    ...roundStats(chosen),
    onTestDrawings: roundStats(chosenOnTest),
  },
  verdictsInUse: { thresholds: { ...thresholds } },
  models: figureModels,
};

console.log(`\n${drawnReport(figures)}`);
const modulePath = join(packageDir, DRAWN_BENCHMARK_MODULE);
writeFileAtomicallySync(modulePath, drawnBenchmarkModuleSource(figures));
console.error(`\nfigures written to ${modulePath} (the models README quotes them: tests/docs checks it)`);

results.loadAverageAtEnd = loadAtEnd.map((v) => round(v, 2));
const out =
  values.out ?? join(packageDir, 'results', `drawn-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileAtomicallySync(out, `${JSON.stringify(results, null, 2)}\n`);
console.error(`results written to ${out}`);
