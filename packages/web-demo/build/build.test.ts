import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFromUrl } from '@mnist/data';
import { dataUrl } from '../src/data/location';
import { type FileProgress, sumProgress } from '../src/data/progress';
import { mnistDir, mnistTest } from '../test/support/mnist';
import { type StaticServer, startStaticServer } from '@mnist/test-support';
import { buildDataFiles, DATA_DIR, type ShippedFile } from './mnistData';
import { isRuntimeCached, serviceWorkerSource } from './serviceWorker';

describe('MNIST data shipped with the site', () => {
  let files: ShippedFile[];
  let source: string;
  let site: string;
  let server: StaticServer;

  beforeAll(async () => {
    process.env.MNIST_DATA_DIR ??= await mnistDir();
    ({ files, source } = await buildDataFiles());
    site = await mkdtemp(join(tmpdir(), 'web-demo-site-'));
    for (const f of files) {
      await mkdir(dirname(join(site, f.fileName)), { recursive: true });
      await writeFile(join(site, f.fileName), f.bytes);
    }
    server = await startStaticServer({ root: site, basePath: '/sub/path/' });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    if (site) await rm(site, { recursive: true, force: true });
  });

  it('finds a verified local copy the way @mnist/data does and writes the four files, gzipped', () => {
    expect(source).toMatch(/^(env|dir|cache|package): /);
    expect(files.map((f) => f.fileName).sort()).toEqual([
      `${DATA_DIR}/t10k-images-idx3-ubyte.gz`,
      `${DATA_DIR}/t10k-labels-idx1-ubyte.gz`,
      `${DATA_DIR}/train-images-idx3-ubyte.gz`,
      `${DATA_DIR}/train-labels-idx1-ubyte.gz`,
    ]);
    for (const f of files) expect([f.bytes[0], f.bytes[1]]).toEqual([0x1f, 0x8b]);
    // About what the mirrors serve: 1.6 MB for the test split, 9.9 MB for the training split.
    const size = (prefix: string) =>
      files.filter((f) => f.fileName.includes(`/${prefix}`)).reduce((n, f) => n + f.bytes.length, 0);
    expect(size('t10k')).toBeLessThan(2.5e6);
    expect(size('train')).toBeLessThan(11e6);
  });

  it('writes reproducible gzip files (no timestamp in the header)', () => {
    for (const f of files) expect(Array.from(f.bytes.subarray(4, 8))).toEqual([0, 0, 0, 0]);
  });

  it('loads over HTTP from a sub-path into the verified 10,000-image test split, as the explorer does', async () => {
    const progress: number[] = [];
    const seen: Record<string, FileProgress> = {};
    const { test: split } = await loadFromUrl({
      baseUrl: dataUrl(server.url),
      splits: ['test'],
      onProgress: (p) => {
        seen[p.file] = p;
        progress.push(sumProgress(seen).bytesDone);
      },
    });
    const expected = await mnistTest();
    expect(split.count).toBe(10000);
    expect(split.label(0)).toBe(7);
    expect(Buffer.from(split.images).equals(Buffer.from(expected.images))).toBe(true);
    expect(Buffer.from(split.labels).equals(Buffer.from(expected.labels))).toBe(true);
    const testFiles = files.filter((f) => f.fileName.includes('/t10k-'));
    expect(progress.at(-1)).toBe(testFiles.reduce((n, f) => n + f.bytes.length, 0));
    // Only the test split was fetched.
    expect(server.log.filter((l) => l.includes('/train-'))).toEqual([]);
    expect(server.notFound).toEqual([]);
  });

  it('names the missing file when a deployment lacks the data', async () => {
    const empty = await startStaticServer({ root: join(site, 'nothing-here') });
    try {
      await expect(loadFromUrl({ baseUrl: dataUrl(empty.url), splits: ['test'] })).rejects.toThrow(
        /t10k-labels-idx1-ubyte\.gz.*HTTP 404/,
      );
    } finally {
      await empty.close();
    }
  });
});

describe('service worker', () => {
  it('fills the precache list, version and isolation switch into the template', () => {
    const template =
      'const PRECACHE = self.__PRECACHE__;\nconst VERSION = self.__VERSION__;\nconst ISOLATE = self.__ISOLATE__;';
    expect(serviceWorkerSource(template, ['index.html', 'assets/a.js'], 'abc123')).toBe(
      'const PRECACHE = ["./","index.html","assets/a.js"];\nconst VERSION = "abc123";\nconst ISOLATE = false;',
    );
    expect(serviceWorkerSource(template, [], 'v', true)).toMatch(/const ISOLATE = true;$/);
  });

  it('caches MNIST, the training worker, the threaded wasm binary and the .keras and ONNX chunks on first use instead of on install', () => {
    expect(isRuntimeCached('data/mnist/t10k-images-idx3-ubyte.gz')).toBe(true);
    expect(isRuntimeCached('data/mnist/train-images-idx3-ubyte.gz')).toBe(true);
    expect(isRuntimeCached('assets/training-worker-abc.js')).toBe(true);
    expect(isRuntimeCached('assets/tfjs-backend-wasm-threaded-simd-abc.wasm')).toBe(true);
    expect(isRuntimeCached('assets/tfjs-backend-wasm-simd-abc.wasm')).toBe(false);
    expect(isRuntimeCached('assets/model-io-hdf5_hl-abc.js')).toBe(true);
    expect(isRuntimeCached('assets/model-io-encode-abc.js')).toBe(true);
    expect(isRuntimeCached('assets/index-abc.js')).toBe(false);
  });
});
