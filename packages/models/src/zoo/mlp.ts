import { layers, type Sequential, sequential } from '@tensorflow/tfjs-layers';
import { seededDenseInitializers } from './seeded.js';

/**
 * The Keras tutorial's model 2, exact: Dense(100, relu), Dense(100, relu), Dense(10, sigmoid) on the 784
 * flattened pixels (89,610 parameters).
 */
export function createMlp(seed: number): Sequential {
  return sequential({
    name: 'mlp',
    layers: [
      layers.dense({
        name: 'hidden1',
        inputShape: [784],
        units: 100,
        activation: 'relu',
        ...seededDenseInitializers(seed, 0),
      }),
      layers.dense({ name: 'hidden2', units: 100, activation: 'relu', ...seededDenseInitializers(seed, 1) }),
      layers.dense({ name: 'output', units: 10, activation: 'sigmoid', ...seededDenseInitializers(seed, 2) }),
    ],
  });
}
