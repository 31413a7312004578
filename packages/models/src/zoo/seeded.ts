import { initializers } from '@tensorflow/tfjs-layers';
import { deriveSeed } from '../random.js';

/**
 * Keras's default Dense initialisers (Glorot-uniform kernel, zero bias), seeded per layer so the same model
 * seed always gives the same weights and no two layers share a random stream.
 */
export function seededDenseInitializers(seed: number, layerIndex: number) {
  return {
    kernelInitializer: initializers.glorotUniform({ seed: deriveSeed(seed, layerIndex) }),
    biasInitializer: initializers.zeros(),
  };
}
