/**
 * Does PyTorch really start faster than our engine on the compact cnn's recipe (the shipped `cnn` when this was
 * asked)? Both sides trained on the same first
 * `--train` images for `--epochs` epochs, over several seeds, one thread each (the fair setting on a shared
 * machine); prints each side's per-epoch training loss and test accuracy (bench/drawn/NOTES.md has the answer).
 *
 *   pnpm --filter @mnist/models exec node --import tsx --conditions=@mnist/source bench/drawn/torch-check.ts \
 *     --train 12800 --epochs 1 --seeds 1,2,3
 */
import { parseArgs } from 'node:util';
import { loadMnist } from '@mnist/data';
import { evaluate, initBackend, train } from '../../src/node.js';
import { COMPACT_CNN_LAYERS, compactCnnRecipe } from '../compact-cnn.js';
import { mnistDir } from '../tutorial/mnist-files.js';
import { runTorchCnn } from '../tutorial/torch-cnn.js';
import { scriptArgs, wholeNumber } from '../../scripts/flags.js';
import { cnnModel } from '../cnn-model.js';

const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    train: { type: 'string', default: '12800' },
    epochs: { type: 'string', default: '1' },
    seeds: { type: 'string', default: '1,2,3' },
    python: { type: 'string', default: 'python3' },
  },
});
const count = wholeNumber('train', values.train, 1, 60_000);
const epochs = wholeNumber('epochs', values.epochs, 1);
const seeds = (values.seeds as string).split(',').map((text) => wholeNumber('seeds', text));
await initBackend('wasm', { log: false });
const data = await loadMnist();
const trainSet = data.train.take(count);
const percent = (v: number) => `${(100 * v).toFixed(2)}%`;

console.log(`| side | seed | images | training loss per epoch | test accuracy | seconds |`);
console.log(`| --- | ---: | ---: | --- | ---: | ---: |`);
for (const seed of seeds) {
  const model = cnnModel(COMPACT_CNN_LAYERS, compactCnnRecipe, seed);
  const result = await train(model, trainSet, { epochs, seed, threads: 1 });
  const accuracy = (await evaluate(model, data.test)).accuracy;
  model.layersModel.dispose();
  console.log(
    `| ours (engine, 1 thread) | ${seed} | ${count} | ${result.history.map((h) => h.loss.toFixed(4)).join(', ')} | ${percent(accuracy)} | ${result.seconds.toFixed(0)} |`,
  );
  const run = runTorchCnn({
    python: values.python as string,
    dataDir: mnistDir(),
    layers: COMPACT_CNN_LAYERS,
    recipe: compactCnnRecipe,
    epochs,
    seed,
    limit: count,
    threads: 1,
  });
  if (!run.ok) {
    console.log(`| torch | ${seed} | ${run.why} |`);
    continue;
  }
  const torch = run.report as {
    trainLoss: number[];
    testAccuracy: number;
    trainSeconds: number;
    version: string;
  };
  console.log(
    `| torch ${torch.version} (1 thread) | ${seed} | ${count} | ${torch.trainLoss.map((v) => v.toFixed(4)).join(', ')} | ${percent(torch.testAccuracy)} | ${torch.trainSeconds.toFixed(0)} |`,
  );
}
