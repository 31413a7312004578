import { loadMnist, type MnistData } from '@mnist/data';
import { findMnist } from '@mnist/test-support';

let cached: Promise<MnistData> | undefined;

/** The real MNIST files, found as every test finds them (MNIST_DATA_DIR, then @mnist/data's search order), once per test file; never the network. */
export function mnist(): Promise<MnistData> {
  cached ??= findMnist(loadMnist).then((found) => found.data);
  return cached;
}
