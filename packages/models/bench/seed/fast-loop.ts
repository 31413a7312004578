// The fast path driven by the same epoch loop as the library's train() (same seeded shuffles, same batch
// assembly, stats kept on the backend and read once per epoch). Used by run.ts only until train() itself
// takes the fast path; then train()'s own line measures it and this file can go.
import * as tf from '@tensorflow/tfjs-core';
import type { LabelledImages, MnistModel } from '../../src/node.js';
import { deriveSeed, permutation } from '../../src/random.js';
import { assembleBatch } from '../../src/train/batches.js';
import { FastDenseTrainer, fastDenseLayers } from '../../src/train/fast-dense.js';
import { KERAS_EPSILON } from '../../src/train/loss.js';

/** Per-epoch seconds, mean loss and accuracy of `epochs` epochs of the fast path on `set`. */
export function trainFastLoop(
  model: MnistModel,
  set: LabelledImages,
  options: { epochs: number; batchSize: number; learningRate: number; seed: number },
): { seconds: number[]; loss: number[]; accuracy: number[] } {
  const layers = fastDenseLayers(model.layersModel);
  if (layers === undefined)
    throw new Error(`${model.name}: not a plain dense stack, the fast path does not apply`);
  const trainer = new FastDenseTrainer(layers, {
    learningRate: options.learningRate,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: KERAS_EPSILON,
    lossEpsilon: KERAS_EPSILON,
  });
  const out = { seconds: [] as number[], loss: [] as number[], accuracy: [] as number[] };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const started = performance.now();
    const order = permutation(set.count, deriveSeed(options.seed, epoch));
    let sums = tf.zeros([2]) as tf.Tensor1D;
    for (let start = 0; start < set.count; start += options.batchSize) {
      const size = Math.min(options.batchSize, set.count - start);
      const host = assembleBatch(set, order, start, size);
      const next = tf.tidy(() => {
        const stats = trainer.step(tf.tensor2d(host.x, [size, 784]), tf.tensor1d(host.labels, 'int32'));
        return tf.add(sums, stats) as tf.Tensor1D;
      });
      sums.dispose();
      sums = next;
    }
    const [lossSum, correct] = Array.from(sums.dataSync());
    sums.dispose();
    out.seconds.push((performance.now() - started) / 1000);
    out.loss.push((lossSum as number) / set.count);
    out.accuracy.push((correct as number) / set.count);
  }
  trainer.dispose();
  return out;
}
