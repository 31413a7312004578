/**
 * Trains one cnn candidate for the notes' comparison and measures it on held-out data only: the first 55,000
 * training images are trained on; the last 5,000 (never trained on) are the validation set after every epoch and,
 * drawn in every part's way (`bench:drawn:build -- --heldout`), the drawn validation. MNIST test and the drawn
 * benchmark (test digits) are measured only with `--test`, for the finalists once the choice is made. Writes the
 * figures as JSON and the trained model under results/drawn/candidates/ (not committed).
 *
 *   pnpm --filter @mnist/models exec node --import tsx --conditions=@mnist/source bench/drawn/candidate.ts \
 *     --model cnn-deep --epochs 20 --decay 0.85 --augment drawing [--augment-json '{"elasticAlpha":5}'] [--test]
 *
 * Options: --model (a CANDIDATES name) --epochs --lr (0.002) --decay (0.85) --batch (64) --augment
 * drawing|shifts (default drawing; shifts = the cnn recipe's ±2 px) --augment-json (overrides of
 * DRAWING_AUGMENTATION) --train N (first N of the 55,000) --seed (1) --threads --label --test
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist, writeFileAtomicallySync } from '@mnist/data';
import {
  type AugmentParams,
  checkAugmentParams,
  DRAWING_AUGMENTATION,
  evaluate,
  initBackend,
  saveModel,
  train,
} from '../../src/node.js';
import { compactCnnRecipe as cnnRecipe } from '../compact-cnn.js';
import { CANDIDATES } from './candidates.js';
import {
  HELDOUT_DIR,
  HELDOUT_FIRST,
  HELDOUT_MANIFEST_PATH,
  loadDrawnBenchmark,
  readManifest,
} from '../../test/support/drawn/files.js';
import { positiveNumber, scriptArgs, wholeNumber } from '../../scripts/flags.js';
import { cnnModel } from '../cnn-model.js';

const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    model: { type: 'string', default: 'cnn' },
    epochs: { type: 'string', default: '20' },
    lr: { type: 'string', default: '0.002' },
    decay: { type: 'string', default: '0.85' },
    batch: { type: 'string', default: '64' },
    augment: { type: 'string', default: 'drawing' },
    'augment-json': { type: 'string' },
    train: { type: 'string', default: String(HELDOUT_FIRST) },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string' },
    label: { type: 'string' },
    test: { type: 'boolean', default: false },
  },
});
const candidate = CANDIDATES[values.model as string];
if (candidate === undefined) throw new Error(`--model: one of ${Object.keys(CANDIDATES).join(', ')}`);
if (values.augment !== 'drawing' && values.augment !== 'shifts')
  throw new Error('--augment: drawing or shifts');
const augmentation: AugmentParams | undefined =
  values.augment === 'drawing'
    ? checkAugmentParams({ ...DRAWING_AUGMENTATION, ...JSON.parse(values['augment-json'] ?? '{}') })
    : undefined;
const seed = wholeNumber('seed', values.seed);
const trainCount = wholeNumber('train', values.train, 1, HELDOUT_FIRST);
const epochs = wholeNumber('epochs', values.epochs, 1);
const learningRate = positiveNumber('lr', values.lr);
const learningRateDecay = positiveNumber('decay', values.decay, 1);
const batchSize = wholeNumber('batch', values.batch, 1, HELDOUT_FIRST);
const threads = values.threads === undefined ? undefined : wholeNumber('threads', values.threads, 1, 64);
const label =
  values.label ??
  `${values.model}-${values.augment}${values['augment-json'] ? '-custom' : ''}-e${epochs}-s${seed}`;
const outDir = resolve(fileURLToPath(new URL('../../results/drawn/candidates', import.meta.url)));
const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

await initBackend('wasm', { log: false });
const data = await loadMnist();
const trainSet = data.train.take(trainCount);
const heldout = data.train.subset(HELDOUT_FIRST, data.train.count);
const drawnHeldout = loadDrawnBenchmark(HELDOUT_DIR, readManifest(HELDOUT_MANIFEST_PATH));

const model = cnnModel(
  candidate.layers,
  {
    ...cnnRecipe,
    epochs,
    learningRate,
    learningRateDecay,
    batchSize,
    ...(augmentation !== undefined && { augmentation }),
  },
  seed,
);
const loadAtStart = loadavg()[0] as number;
console.log(
  `${label}: ${model.layersModel.countParams()} parameters, ${trainSet.count} training images, ${JSON.stringify(model.recipe)}, load ${loadAtStart.toFixed(1)}`,
);
const result = await train(model, trainSet, {
  seed,
  validationData: heldout,
  ...(threads !== undefined && { threads }),
  onEpochEnd(log) {
    console.log(
      `  epoch ${log.epoch}/${log.epochs}: loss ${log.loss.toFixed(4)}, train ${pct(log.accuracy)}, held-out ${pct(log.valAccuracy ?? 0)} (loss ${(log.valLoss ?? 0).toFixed(4)}), ${log.seconds.toFixed(0)} s, ${log.samplesPerSecond.toFixed(0)} samples/s, load ${loadavg()[0]?.toFixed(1)}`,
    );
  },
});

const figures: Record<string, unknown> = {
  label,
  model: values.model,
  parameters: model.layersModel.countParams(),
  recipe: model.recipe,
  seed,
  trainImages: trainSet.count,
  engine: result.engine,
  seconds: Math.round(result.seconds),
  loadAverage: [loadAtStart, loadavg()[0]],
  history: result.history,
};
const heldoutDrawn: Record<string, number> = {};
for (const [name, split] of drawnHeldout) heldoutDrawn[name] = (await evaluate(model, split)).accuracy;
const heldoutClean = (await evaluate(model, heldout)).accuracy;
const drawnMean = Object.values(heldoutDrawn).reduce((a, b) => a + b, 0) / drawnHeldout.size;
figures.heldout = { clean: heldoutClean, drawn: heldoutDrawn, drawnMean };
console.log(
  `held-out (training digits ${HELDOUT_FIRST}–59,999): clean ${pct(heldoutClean)}, drawn mean ${pct(drawnMean)} | ${Object.entries(
    heldoutDrawn,
  )
    .map(([name, value]) => `${name} ${pct(value)}`)
    .join(', ')}`,
);
if (values.test) {
  const test: Record<string, number> = { 'MNIST test': (await evaluate(model, data.test)).accuracy };
  for (const [name, split] of loadDrawnBenchmark()) test[name] = (await evaluate(model, split)).accuracy;
  figures.test = test;
  console.log(
    `test: ${Object.entries(test)
      .map(([name, value]) => `${name} ${pct(value)}`)
      .join(', ')}`,
  );
}
mkdirSync(outDir, { recursive: true });
await saveModel(model, join(outDir, label));
const path = join(outDir, `${label}.json`);
writeFileAtomicallySync(path, `${JSON.stringify(figures, null, 2)}\n`);
console.log(`wrote ${path} and the model in ${join(outDir, label)}/`);
