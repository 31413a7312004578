import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTestSplit } from '../src/explorer/testData';
import { mnistDir, mnistTest } from '../test/support/mnist';
import { type StaticServer, startStaticServer } from '@mnist/test-support';
import { buildTestDataFiles, type ShippedFile, TEST_DATA_DIR } from './mnistTestData';
import { isRuntimeCached, serviceWorkerSource } from './serviceWorker';

describe('MNIST test data shipped with the site', () => {
  let files: ShippedFile[];
  let source: string;
  let site: string;
  let server: StaticServer;

  beforeAll(async () => {
    process.env.MNIST_DATA_DIR ??= await mnistDir();
    ({ files, source } = await buildTestDataFiles());
    site = await mkdtemp(join(tmpdir(), 'web-demo-site-'));
    for (const f of files) {
      await mkdir(dirname(join(site, f.fileName)), { recursive: true });
      await writeFile(join(site, f.fileName), f.bytes);
    }
    server = await startStaticServer({ root: site, basePath: '/sub/path/' });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (site) await rm(site, { recursive: true, force: true });
  });

  it('finds a verified local copy the way @mnist/data does and writes the two test files, gzipped', () => {
    expect(source).toMatch(/^(env|dir|cache|package): /);
    expect(files.map((f) => f.fileName).sort()).toEqual([
      `${TEST_DATA_DIR}/t10k-images-idx3-ubyte.gz`,
      `${TEST_DATA_DIR}/t10k-labels-idx1-ubyte.gz`,
    ]);
    for (const f of files) expect([f.bytes[0], f.bytes[1]]).toEqual([0x1f, 0x8b]);
    // Only the test split: the 10 MB training set stays out of the site.
    expect(files.reduce((n, f) => n + f.bytes.length, 0)).toBeLessThan(2.5e6);
  });

  it('writes reproducible gzip files (no timestamp in the header)', () => {
    for (const f of files) expect(Array.from(f.bytes.subarray(4, 8))).toEqual([0, 0, 0, 0]);
  });

  it('loads over HTTP from a sub-path into the verified 10,000-image test split', async () => {
    const progress: number[] = [];
    const split = await loadTestSplit({ baseUrl: server.url, onProgress: (p) => progress.push(p.bytesDone) });
    const expected = await mnistTest();
    expect(split.count).toBe(10000);
    expect(split.label(0)).toBe(7);
    expect(Buffer.from(split.images).equals(Buffer.from(expected.images))).toBe(true);
    expect(Buffer.from(split.labels).equals(Buffer.from(expected.labels))).toBe(true);
    expect(progress.at(-1)).toBe(files.reduce((n, f) => n + f.bytes.length, 0));
    expect(server.notFound).toEqual([]);
  });

  it('names the missing file when a deployment lacks the data', async () => {
    const empty = await startStaticServer({ root: join(site, 'nothing-here') });
    try {
      await expect(loadTestSplit({ baseUrl: empty.url })).rejects.toThrow(
        /t10k-labels-idx1-ubyte\.gz answered HTTP 404/,
      );
    } finally {
      await empty.close();
    }
  });
});

describe('service worker', () => {
  it('fills the precache list and version into the template', () => {
    const source = serviceWorkerSource(
      'const PRECACHE = self.__PRECACHE__;\nconst VERSION = self.__VERSION__;',
      ['index.html', 'assets/a.js'],
      'abc123',
    );
    expect(source).toBe('const PRECACHE = ["./","index.html","assets/a.js"];\nconst VERSION = "abc123";');
  });

  it('caches the test set and the threaded wasm binary on first use instead of on install', () => {
    expect(isRuntimeCached('data/mnist/t10k-images-idx3-ubyte.gz')).toBe(true);
    expect(isRuntimeCached('assets/tfjs-backend-wasm-threaded-simd-abc.wasm')).toBe(true);
    expect(isRuntimeCached('assets/tfjs-backend-wasm-simd-abc.wasm')).toBe(false);
    expect(isRuntimeCached('assets/index-abc.js')).toBe(false);
  });
});
