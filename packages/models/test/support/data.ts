import { fileURLToPath } from 'node:url';
import { loadMnist, type MnistData } from '@mnist/data';

/** The verified MNIST files: MNIST_DATA_DIR (CI), else `../shared/datasets/mnist` beside the repository. */
export const MNIST_DIR =
  process.env.MNIST_DATA_DIR ??
  fileURLToPath(new URL('../../../../../shared/datasets/mnist', import.meta.url));

let cached: Promise<MnistData> | undefined;

/** Loads the real MNIST files once per test file (never the network). */
export function mnist(): Promise<MnistData> {
  cached ??= loadMnist({ dir: MNIST_DIR, download: false });
  return cached;
}
