// Minimal reader of the original MNIST .gz files for the profiling scripts (the benchmark itself loads
// through @mnist/data). The folder comes from MNIST_DATA_DIR or ../shared/datasets/mnist beside the clone.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The MNIST folder: MNIST_DATA_DIR, else `<repo>/../shared/datasets/mnist`. */
export function mnistDir(): string {
  const fromEnv = process.env.MNIST_DATA_DIR;
  if (fromEnv) return fromEnv;
  // bench/tutorial → packages/models → packages → repo root → its parent
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!dir.endsWith('packages') && dirname(dir) !== dir) dir = dirname(dir);
  return resolve(dir, '..', '..', 'shared', 'datasets', 'mnist');
}

/** The 60,000 training images (bytes) and labels. */
export function readMnistTrain(): { images: Uint8Array; labels: Uint8Array } {
  const dir = mnistDir();
  const images = gunzipSync(readFileSync(join(dir, 'train-images-idx3-ubyte.gz'))).subarray(16);
  const labels = gunzipSync(readFileSync(join(dir, 'train-labels-idx1-ubyte.gz'))).subarray(8);
  return { images: new Uint8Array(images), labels: new Uint8Array(labels) };
}
