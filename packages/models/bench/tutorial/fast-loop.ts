// The fast path driven by the same epoch loop as the library's train() (same seeded shuffles, same batch
// assembly, one running [loss, correct] tensor read once per epoch). Used by run.ts (`--path fast`) only until
// train()'s `trainingStepFor` returns the fast step; then train()'s own line measures it and this file can go.
import * as tf from '@tensorflow/tfjs-core';
import type { LabelledImages, MnistModel } from '../../src/node.js';
import { seededPermutation as permutation } from '@mnist/data';
import { deriveSeed } from '../../src/random.js';
import { assembleBatch } from '../../src/train/batches.js';
import { fastStepFor } from '../../src/train/fast-step.js';

/** Per-epoch seconds, mean loss and accuracy of `epochs` epochs of the fast path on `set`. */
export function trainFastLoop(
  model: MnistModel,
  set: LabelledImages,
  options: { epochs: number; batchSize: number; learningRate: number; seed: number },
): { seconds: number[]; loss: number[]; accuracy: number[] } {
  const step = fastStepFor(model, options.learningRate);
  if (step === undefined)
    throw new Error(`${model.name}: not a plain dense stack, the fast path does not apply`);
  const out = { seconds: [] as number[], loss: [] as number[], accuracy: [] as number[] };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const started = performance.now();
    const order = permutation(set.count, deriveSeed(options.seed, epoch));
    let sums = tf.zeros([2]) as tf.Tensor1D;
    for (let start = 0; start < set.count; start += options.batchSize) {
      const size = Math.min(options.batchSize, set.count - start);
      const stats = step.run(assembleBatch(set, order, start, size));
      const next = tf.add(sums, stats) as tf.Tensor1D;
      stats.dispose();
      sums.dispose();
      sums = next;
    }
    const [lossSum, correct] = Array.from(sums.dataSync());
    sums.dispose();
    out.seconds.push((performance.now() - started) / 1000);
    out.loss.push((lossSum as number) / set.count);
    out.accuracy.push((correct as number) / set.count);
  }
  step.dispose();
  return out;
}
