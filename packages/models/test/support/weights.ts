// A model's weights as plain arrays, and how far two sets of them are apart: what the tests that compare
// training paths (engine against autodiff, 1 thread against 2, run against run) read.
import type { MnistModel } from '../../src/node.js';

/** Every weight tensor of the model as floats, in layer order. */
export function weightsOf(model: MnistModel): Float32Array[] {
  return model.layersModel.getWeights().map((w) => w.dataSync() as Float32Array);
}

/** The largest absolute difference between two sets of weights of the same shapes. */
export function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((values, i) => {
    const other = b[i] as Float32Array;
    for (let j = 0; j < values.length; j++)
      worst = Math.max(worst, Math.abs((values[j] as number) - (other[j] as number)));
  });
  return worst;
}
