import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DATASETS,
  FILE_ROLES,
  loadFromUrl,
  loadMnist,
  MnistDataError,
  type ProgressEvent,
} from '../src/node.js';
import { caught, MNIST_FACTS, mnistGzDir, tempDir } from './helpers.js';

// A real HTTP server on 127.0.0.1 serving the real .gz files, with one route per way a mirror can misbehave.
const files = new Map<string, Buffer>();
const hits: string[] = [];
let server: Server;
let base: string;
const openResponses = new Set<ServerResponse>();

function send(res: ServerResponse, body: Buffer, headers: Record<string, string | number> = {}): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, ...headers });
  // Several chunks, so progress is reported more than once.
  const step = 256 * 1024;
  for (let offset = 0; offset < body.length; offset += step) res.write(body.subarray(offset, offset + step));
  res.end();
}

beforeAll(async () => {
  for (const role of FILE_ROLES) {
    const name = `${DATASETS.mnist.files[role]}.gz`;
    files.set(name, await readFile(join(mnistGzDir(), name)));
  }
  server = createServer((req, res) => {
    const [, route, name = ''] = (req.url ?? '').split('/');
    hits.push(`${route}/${name}`);
    const body = files.get(name);
    if (!body || route === 'missing') {
      res.writeHead(404).end('not found');
      return;
    }
    switch (route) {
      case 'good':
        return send(res, body);
      case 'wrong': {
        // Valid gzip of a valid IDX file whose content differs by one byte: only the hash can tell.
        const raw = gunzipSync(body);
        raw[raw.length - 1] = ((raw[raw.length - 1] as number) + 1) % 10;
        return send(res, gzipSync(raw));
      }
      case 'cut':
        res.writeHead(200, { 'content-length': body.length });
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
        return;
      case 'stall':
        openResponses.add(res);
        res.writeHead(200, { 'content-length': body.length });
        res.write(body.subarray(0, 1000));
        return;
      case 'encoded':
        // A server that sends the .gz with Content-Encoding: gzip: fetch hands over the inflated IDX bytes.
        return send(res, body, { 'content-encoding': 'gzip' });
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of openResponses) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let cacheRoot: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: cacheRoot, cleanup } = await tempDir('mnist-download-test-'));
  hits.length = 0;
  return () => cleanup();
});

const cacheDir = () => join(cacheRoot, 'mnist');
const listCache = async () => (await readdir(cacheDir()).catch(() => [] as string[])).sort();
const ALL_GZ = FILE_ROLES.map((r) => `${DATASETS.mnist.files[r]}.gz`).sort();

function download(route: string | string[], extra: Parameters<typeof loadMnist>[0] = {}) {
  const routes = Array.isArray(route) ? route : [route];
  return loadMnist({
    cacheDir: cacheRoot,
    sources: ['cache', 'download'],
    mirrors: routes.map((r) => `${base}/${r}/`),
    ...extra,
  });
}

describe('downloads from mirrors into the cache', () => {
  it('skips a mirror answering 404, downloads from the next, verifies, reports progress, then uses the cache', async () => {
    const events: ProgressEvent[] = [];
    const data = await download(['missing', 'good'], { onProgress: (e) => events.push(e) });
    expect(data.source).toEqual({ kind: 'download', location: cacheDir() });
    expect(data.train.labelCounts()).toEqual(MNIST_FACTS.trainHistogram);
    expect(data.test.label(0)).toBe(7);
    expect(hits.filter((h) => h.startsWith('missing/'))).toHaveLength(4);
    expect(hits.filter((h) => h.startsWith('good/'))).toHaveLength(4);
    // Exactly the four files, under their final names: no temporary file left.
    expect(await listCache()).toEqual(ALL_GZ);

    // Progress: per file, from the working mirror, monotonic, ending at the file's size.
    for (const name of ALL_GZ) {
      const own = events.filter((e) => e.file === name && e.url.includes('/good/'));
      expect(own.length).toBeGreaterThan(1);
      for (let i = 1; i < own.length; i++) {
        expect((own[i] as ProgressEvent).bytesDone).toBeGreaterThanOrEqual((own[i - 1] as ProgressEvent).bytesDone);
      }
      const last = own.at(-1) as ProgressEvent;
      expect(last.bytesTotal).toBe(files.get(name)?.length);
      expect(last.bytesDone).toBe(last.bytesTotal);
    }
    if (ALL_GZ.includes('train-images-idx3-ubyte.gz')) {
      expect(events.filter((e) => e.file === 'train-images-idx3-ubyte.gz').length).toBeGreaterThan(10);
    }

    hits.length = 0;
    const again = await download(['good']);
    expect(again.source).toEqual({ kind: 'cache', location: cacheDir() });
    expect(hits).toEqual([]);
  });

  it('downloads only what the cache lacks', async () => {
    await mkdir(cacheDir(), { recursive: true });
    for (const name of ALL_GZ.filter((n) => n !== 't10k-labels-idx1-ubyte.gz')) {
      await copyFile(join(mnistGzDir(), name), join(cacheDir(), name));
    }
    const data = await download(['good']);
    expect(hits).toEqual(['good/t10k-labels-idx1-ubyte.gz']);
    expect(data.source.kind).toBe('download');
    expect(await listCache()).toEqual(ALL_GZ);
  });

  it('wrong bytes give CHECKSUM_MISMATCH and leave no file', async () => {
    const e = (await caught(() => download(['wrong']))) as MnistDataError;
    expect(e).toBeInstanceOf(MnistDataError);
    expect(e.code).toBe('CHECKSUM_MISMATCH');
    expect(e.expected).toBe(DATASETS.mnist.sha256.trainLabels);
    expect(e.message).toContain('train-labels-idx1-ubyte.gz');
    expect(e.message).toContain(`${base}/wrong/`);
    expect(await listCache()).toEqual([]);
  });

  it('a connection cut mid-body gives DOWNLOAD_FAILED and leaves no file', async () => {
    const e = (await caught(() => download(['cut']))) as MnistDataError;
    expect(e.code).toBe('DOWNLOAD_FAILED');
    expect(e.message).toContain(`${base}/cut/train-labels-idx1-ubyte.gz`);
    // The error still lists every place looked at and what to do.
    expect(e.message).toContain('Places searched');
    expect(e.attempts.map((a) => a.kind)).toEqual(['cache', 'download']);
    expect(await listCache()).toEqual([]);
  });

  it('after a cut connection the next mirror is used', async () => {
    const data = await download(['cut', 'good']);
    expect(data.test.count).toBe(10000);
    expect(await listCache()).toEqual(ALL_GZ);
  });

  it('a mirror that stops sending times out (timeoutMs) and leaves no file', async () => {
    const e = (await caught(() => download(['stall'], { timeoutMs: 300 }))) as MnistDataError;
    expect(e.code).toBe('DOWNLOAD_FAILED');
    expect(e.message).toContain('no data received for 300 ms');
    expect(await listCache()).toEqual([]);
  });

  it('abort during a download rejects with ABORTED, tries no other mirror and leaves no file', async () => {
    const controller = new AbortController();
    const e = (await caught(() =>
      download(['stall', 'good'], {
        signal: controller.signal,
        onProgress: (event) => {
          if (event.bytesDone > 0) controller.abort();
        },
      }),
    )) as MnistDataError;
    expect(e.code).toBe('ABORTED');
    expect(hits).toEqual(['stall/train-labels-idx1-ubyte.gz']);
    expect(await listCache()).toEqual([]);
  });

  it('an already aborted signal rejects at once', async () => {
    const e = (await caught(() => download(['good'], { signal: AbortSignal.abort() }))) as MnistDataError;
    expect(e.code).toBe('ABORTED');
    expect(hits).toEqual([]);
  });
});

describe('loading from a base URL (the browser path, run here on Node fetch)', () => {
  it('fetches, inflates and verifies', async () => {
    const events: ProgressEvent[] = [];
    const data = await loadMnist({ baseUrl: `${base}/good`, onProgress: (e) => events.push(e) });
    expect(data.source).toEqual({ kind: 'url', location: `${base}/good` });
    expect(data.train.labelCounts()).toEqual(MNIST_FACTS.trainHistogram);
    const last = events.filter((e) => e.file === 'train-images-idx3-ubyte.gz').at(-1);
    expect(last?.bytesDone).toBe(files.get('train-images-idx3-ubyte.gz')?.length);
  });

  it('accepts a server that decompresses on the fly (Content-Encoding: gzip)', async () => {
    const data = await loadMnist({ baseUrl: `${base}/encoded/` });
    expect(data.test.labelCounts()).toEqual(MNIST_FACTS.testHistogram);
  });

  it('the universal decoders (DecompressionStream + WebCrypto) load the same data from the URL', async () => {
    const data = await loadFromUrl({ baseUrl: `${base}/good/` });
    expect(data.train.labelCounts()).toEqual(MNIST_FACTS.trainHistogram);
  }, 30_000);

  it('reports HTTP errors and wrong content with their codes', async () => {
    const missing = (await caught(() => loadMnist({ baseUrl: `${base}/missing/` }))) as MnistDataError;
    expect(missing.code).toBe('DOWNLOAD_FAILED');
    expect(missing.message).toContain('HTTP 404');
    const wrong = (await caught(() => loadMnist({ baseUrl: `${base}/wrong/` }))) as MnistDataError;
    expect(wrong.code).toBe('CHECKSUM_MISMATCH');
    // The first bad file stops the load: nothing more is fetched.
    expect(hits.filter((h) => h.startsWith('wrong/'))).toEqual(['wrong/train-labels-idx1-ubyte.gz']);
  });
});
