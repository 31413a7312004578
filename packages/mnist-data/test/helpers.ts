import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_DIRS } from '../src/node.js';

/**
 * The project's verified MNIST .gz files: `MNIST_DATA_DIR` (CI sets it), else `<repo>/../shared/datasets/mnist`.
 */
export function mnistGzDir(): string {
  const dir =
    process.env.MNIST_DATA_DIR || fileURLToPath(new URL('../../../../shared/datasets/mnist', import.meta.url));
  if (!existsSync(join(dir, 'train-images-idx3-ubyte.gz'))) {
    throw new Error(`MNIST .gz files not found in ${dir}: set MNIST_DATA_DIR to the folder that holds them.`);
  }
  return dir;
}

/** Debian's dataset-fashion-mnist copy (recompressed by Debian), or `FASHION_MNIST_DATA_DIR`. */
export function fashionDir(): string {
  const dir = process.env.FASHION_MNIST_DATA_DIR || (SYSTEM_DIRS['fashion-mnist'][0] as string);
  if (!existsSync(join(dir, 'train-images-idx3-ubyte.gz'))) {
    throw new Error(`Fashion-MNIST not found in ${dir}: install Debian's dataset-fashion-mnist (bash .ci/run does).`);
  }
  return dir;
}

/** A fresh temporary directory, and a function removing it. */
export async function tempDir(prefix = 'mnist-data-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** MNIST's published label histograms and first labels (CONVENTIONS.md). */
export const MNIST_FACTS = {
  trainHistogram: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
  testHistogram: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
  firstTrainLabel: 5,
  firstTestLabel: 7,
};

/** Runs `fn` and returns what it threw (fails if it did not throw). */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}
