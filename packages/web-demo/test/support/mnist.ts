import { loadMnist, type MnistSplit } from '@mnist/data';
import { findMnist } from '@mnist/test-support';

/** MNIST as every test finds it: `MNIST_DATA_DIR`, then @mnist/data's own search order (never a download). */
const found = findMnist(loadMnist);

/** The folder the verified MNIST files were found in. */
export async function mnistDir(): Promise<string> {
  return (await found).dir;
}

/** The 10,000-image MNIST test split (loaded once per test file). */
export async function mnistTest(): Promise<MnistSplit> {
  return (await found).data.test;
}
