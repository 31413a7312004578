import { layers, type Sequential, sequential } from '@tensorflow/tfjs-layers';
import { seededDenseInitializers } from './seeded.js';

/**
 * The Keras tutorial's model 1, exact: one Dense(10, sigmoid) layer on the 784 flattened pixels
 * (7,850 parameters).
 */
export function createSimple(seed: number): Sequential {
  return sequential({
    name: 'simple',
    layers: [
      layers.dense({
        name: 'output',
        inputShape: [784],
        units: 10,
        activation: 'sigmoid',
        ...seededDenseInitializers(seed, 0),
      }),
    ],
  });
}
