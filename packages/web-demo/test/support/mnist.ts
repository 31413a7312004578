import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist, type MnistSplit } from '@mnist/data';

const here = dirname(fileURLToPath(import.meta.url));

/** The verified MNIST files for tests: `MNIST_DATA_DIR`, else the project's shared copy beside the repository. */
export function mnistDir(): string {
  return process.env.MNIST_DATA_DIR ?? resolve(here, '../../../../../shared/datasets/mnist');
}

let cached: Promise<MnistSplit> | undefined;

/** The 10,000-image MNIST test split (loaded once per test file). */
export function mnistTest(): Promise<MnistSplit> {
  cached ??= loadMnist({ dir: mnistDir(), download: false }).then((d) => d.test);
  return cached;
}
