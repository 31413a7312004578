/**
 * A quick sanity run for the notes, not the real training: one cnn candidate trained on the first `--train`
 * training images with the current `train()`, once with the recipe's random shifts and once with the drawing
 * augmentation, then scored on MNIST test and on every drawn part (build the benchmark first).
 *
 *   pnpm --filter @mnist/models exec node --import tsx --conditions=@mnist/source bench/drawn/sanity.ts \
 *     --model cnn --train 6000 --epochs 3
 */
import { parseArgs } from 'node:util';
import { loadMnist } from '@mnist/data';
import { DRAWING_AUGMENTATION, evaluate, initBackend, train } from '../../src/node.js';
import { compactCnnRecipe as cnnRecipe } from '../compact-cnn.js';
import { CANDIDATES } from './candidates.js';
import { loadDrawnBenchmark } from '../../test/support/drawn/files.js';
import { scriptArgs, wholeNumber } from '../../scripts/flags.js';
import { cnnModel } from '../cnn-model.js';

const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    model: { type: 'string', default: 'cnn' },
    train: { type: 'string', default: '6000' },
    epochs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
  },
});
const candidate = CANDIDATES[values.model as string];
if (candidate === undefined) throw new Error(`--model: one of ${Object.keys(CANDIDATES).join(', ')}`);
const trainCount = wholeNumber('train', values.train, 1, 60_000);
const seed = wholeNumber('seed', values.seed);
const epochs = wholeNumber('epochs', values.epochs, 1);
await initBackend('wasm', { log: false });
const data = await loadMnist();
const parts = loadDrawnBenchmark();
const trainSet = data.train.take(trainCount);

for (const [label, augmentation] of [
  ['shifts ±2 px', undefined],
  ['drawing augmentation', DRAWING_AUGMENTATION],
] as const) {
  const recipe = { ...cnnRecipe, epochs, ...(augmentation && { augmentation }) };
  const model = cnnModel(candidate.layers, recipe, seed, values.model as string);
  const result = await train(model, trainSet, { seed });
  const cells = [`${(100 * (await evaluate(model, data.test)).accuracy).toFixed(2)}%`];
  for (const split of parts.values())
    cells.push(`${(100 * (await evaluate(model, split)).accuracy).toFixed(2)}%`);
  console.log(
    `| ${values.model}, ${label}, ${trainSet.count} images × ${epochs} epochs (${result.seconds.toFixed(0)} s) | ${cells.join(' | ')} |`,
  );
  model.layersModel.dispose();
}
