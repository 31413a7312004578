import { spawn, spawnSync } from 'node:child_process';
import {
  copyFile,
  mkdir,
  readdir,
  readFile,
  stat,
  symlink,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { waitUntil } from '@mnist/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DATASETS,
  FILE_ROLES,
  loadFromUrl,
  loadMnist,
  MnistDataError,
  maxFileBytes,
  type ProgressEvent,
} from '../src/node.js';
import { partialPath } from '../src/node/partial.js';
import { caught, MNIST_FACTS, mnistGzDir, tempDir } from './helpers.js';

// A real HTTP server on 127.0.0.1 serving the real .gz files, with one route per way a mirror can misbehave.
const files = new Map<string, Buffer>();
const hits: string[] = [];
/** Bytes the `oversize` route managed to hand to the socket before the client hung up, per request. */
const oversizeSent: Array<Promise<number>> = [];
const OVERSIZE_BYTES = 300 * 1024 * 1024;
let server: Server;
let base: string;
const openResponses = new Set<ServerResponse>();

function send(res: ServerResponse, body: Buffer, headers: Record<string, string | number> = {}): void {
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': body.length,
    ...headers,
  });
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
      case 'oversize':
        // The file, then junk up to 300 MB, written as fast as the client reads (back-pressure), counted.
        oversizeSent.push(
          new Promise<number>((resolve) => {
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            const junk = Buffer.alloc(64 * 1024, 0x5a);
            let sent = 0;
            let closed = false;
            res.on('close', () => {
              closed = true;
              resolve(sent);
            });
            const pump = () => {
              while (!closed && sent < OVERSIZE_BYTES) {
                const chunk = sent === 0 ? body : junk;
                sent += chunk.length;
                if (!res.write(chunk)) return void res.once('drain', pump);
              }
              if (!closed) res.end();
            };
            pump();
          }),
        );
        return;
      case 'announced':
        // Announces 300 MB, sends a little and holds the connection: the announcement alone must end it.
        openResponses.add(res);
        res.writeHead(200, { 'content-length': OVERSIZE_BYTES });
        res.write(body.subarray(0, 100));
        return;
      case 'trickle': {
        // The right file, one byte every 1.5 s: never idle long enough for the stall timeout.
        openResponses.add(res);
        res.writeHead(200, { 'content-length': body.length });
        let offset = 0;
        const timer = setInterval(() => {
          if (offset < body.length) res.write(body.subarray(offset, ++offset));
        }, 1500);
        res.on('close', () => clearInterval(timer));
        return;
      }
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
        expect((own[i] as ProgressEvent).bytesDone).toBeGreaterThanOrEqual(
          (own[i - 1] as ProgressEvent).bytesDone,
        );
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

describe('one split from a URL or the mirrors', () => {
  it('loadFromUrl fetches only the test files for splits: [test], with progress, and returns only that split', async () => {
    const events: ProgressEvent[] = [];
    const data = await loadFromUrl({
      baseUrl: `${base}/good/`,
      splits: ['test'],
      onProgress: (e) => events.push(e),
    });
    expect(hits.sort()).toEqual(['good/t10k-images-idx3-ubyte.gz', 'good/t10k-labels-idx1-ubyte.gz']);
    expect(Object.keys(data).sort()).toEqual(['attempts', 'classNames', 'dataset', 'source', 'test']);
    expect(data.test.labelCounts()).toEqual(MNIST_FACTS.testHistogram);
    const last = events.filter((e) => e.file === 't10k-images-idx3-ubyte.gz').at(-1);
    expect(last?.bytesDone).toBe(files.get('t10k-images-idx3-ubyte.gz')?.length);
    expect(last?.bytesTotal).toBe(last?.bytesDone);
  });

  it('loadMnist with a baseUrl fetches only the training files for splits: [train]', async () => {
    const data = await loadMnist({ baseUrl: `${base}/good/`, splits: ['train'] });
    expect(hits.sort()).toEqual(['good/train-images-idx3-ubyte.gz', 'good/train-labels-idx1-ubyte.gz']);
    expect(data.train.labelCounts()).toEqual(MNIST_FACTS.trainHistogram);
    expect('test' in data).toBe(false);
  });

  it('abort while fetching one split rejects with ABORTED', async () => {
    const controller = new AbortController();
    const e = (await caught(() =>
      loadFromUrl({
        baseUrl: `${base}/stall/`,
        splits: ['test'],
        signal: controller.signal,
        onProgress: (event) => {
          if (event.bytesDone > 0) controller.abort();
        },
      }),
    )) as MnistDataError;
    expect(e.code).toBe('ABORTED');
  });

  it('downloads only the test split into the cache', async () => {
    const data = await download(['good'], { splits: ['test'] });
    expect(data.test.label(0)).toBe(MNIST_FACTS.firstTestLabel);
    expect(await listCache()).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
  });
});

describe('downloads stop at the known size and the deadline', () => {
  it('a body longer than any genuine copy is cut off at once with TOO_LARGE, without reading the rest', async () => {
    oversizeSent.length = 0;
    const events: ProgressEvent[] = [];
    const e = (await caught(() =>
      download(['oversize'], { splits: ['test'], onProgress: (event) => events.push(event) }),
    )) as MnistDataError;
    expect(e.code).toBe('TOO_LARGE');
    const cap = maxFileBytes(DATASETS.mnist, 'testLabels');
    expect(e.message).toContain(
      `more than the ${cap} bytes any genuine copy of t10k-labels-idx1-ubyte.gz can take`,
    );
    expect(e.attempts.at(-1)?.code).toBe('TOO_LARGE');
    // The client never took more than the cap...
    expect(Math.max(...events.map((event) => event.bytesDone))).toBeLessThanOrEqual(cap);
    // ...and the server could hand over little more than socket buffers hold before the connection was dropped.
    const sent = await (oversizeSent[0] as Promise<number>);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
    expect(await listCache()).toEqual([]);
  });

  it('a Content-Length beyond any genuine copy fails before the body is read', async () => {
    const events: ProgressEvent[] = [];
    const e = (await caught(() =>
      download(['announced'], { onProgress: (event) => events.push(event) }),
    )) as MnistDataError;
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toContain(`the server announces ${300 * 1024 * 1024} bytes`);
    expect(events).toEqual([]);
    expect(await listCache()).toEqual([]);
  });

  it('a mirror trickling a byte every 1.5 s fails at the deadline (never idle long enough to stall), then the next is used', async () => {
    const data = await download(['trickle', 'good'], { splits: ['test'], timeoutMs: 5000, deadlineMs: 3000 });
    expect(data.test.count).toBe(10000);
    const trickled = data.attempts.filter((a) => a.location.includes('/trickle/'));
    expect(trickled).toHaveLength(2);
    for (const attempt of trickled) {
      expect(attempt.code).toBe('DOWNLOAD_FAILED');
      expect(attempt.outcome).toMatch(
        /^not complete within its 3000 ms deadline \(\d+ of \d+ bytes received\)$/,
      );
    }
    expect(await listCache()).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
  });
});

describe('partial files of killed downloads', () => {
  it('a download process killed mid-file leaves a .part that the next run removes', async () => {
    // A real process downloading from a mirror that stalls after 1,000 bytes, killed with SIGKILL.
    const script = join(cacheRoot, 'child.mjs');
    const entry = pathToFileURL(fileURLToPath(new URL('../src/node.ts', import.meta.url))).href;
    await writeFile(
      script,
      `import { loadMnist } from ${JSON.stringify(entry)};\n` +
        `await loadMnist(${JSON.stringify({ cacheDir: cacheRoot, sources: ['download'], mirrors: [`${base}/stall/`], splits: ['test'], timeoutMs: 600_000 })});\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // The child writes its .part as bytes arrive, announcing it to no one: wait (bounded) until one holds some.
    const parts = await waitUntil('the child to write the first bytes of its .part file', async () => {
      const found = (await listCache()).filter((name) => name.endsWith('.part'));
      const first = found[0];
      return first !== undefined && (await stat(join(cacheDir(), first))).size > 0 ? found : undefined;
    });
    child.kill('SIGKILL');
    await exited;
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatch(
      new RegExp(`^t10k-labels-idx1-ubyte\\.gz\\.[A-Za-z0-9-]+\\.${child.pid}\\.[0-9a-f]{8}\\.part$`),
    );
    expect(await listCache()).toEqual(parts);

    const data = await download(['good'], { splits: ['test'] });
    expect(data.test.count).toBe(10000);
    expect(await listCache()).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
  });

  it('keeps .part files a live process may be writing; removes old ones and never touches other names', async () => {
    await mkdir(cacheDir(), { recursive: true });
    const live = partialPath(join(cacheDir(), 't10k-labels-idx1-ubyte.gz'));
    const otherHost = 'train-labels-idx1-ubyte.gz.some-other-host.999999.0123abcd.part';
    const legacyYoung = 'train-images-idx3-ubyte.gz.999999.89abcdef.part';
    const legacyOld = 't10k-images-idx3-ubyte.gz.999999.deadbeef.part';
    const notOurs = ['notes.part', 'train-labels-idx1-ubyte.gz.x.part', 'other-file.gz.host.1.0123abcd.part'];
    for (const name of [otherHost, legacyYoung, legacyOld, ...notOurs])
      await writeFile(join(cacheDir(), name), 'x');
    await writeFile(live, 'x');
    const dayAndAHourAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    for (const name of [legacyOld, ...notOurs])
      await utimes(join(cacheDir(), name), dayAndAHourAgo, dayAndAHourAgo);

    await caught(() => loadMnist({ cacheDir: cacheRoot, sources: ['cache'], splits: ['test'] }));
    expect(await listCache()).toEqual([live.split('/').at(-1), otherHost, legacyYoung, ...notOurs].sort());
  });
});

describe('cache problems', () => {
  it('unreadable entries in the cache are skipped and reported; the next verified copy is used', async () => {
    const dir = cacheDir();
    await mkdir(dir, { recursive: true });
    // Conditions that hold for root too: a directory, a link loop and a named pipe where files belong, and a
    // 3 GiB (sparse) file larger than any genuine copy (before the size check, reading it threw a raw RangeError).
    await mkdir(join(dir, 'train-labels-idx1-ubyte.gz'));
    await symlink('t10k-labels-idx1-ubyte.gz', join(dir, 't10k-labels-idx1-ubyte.gz'));
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), '');
    await truncate(join(dir, 'train-images-idx3-ubyte.gz'), 3 * 1024 ** 3);
    expect(spawnSync('mkfifo', [join(dir, 't10k-images-idx3-ubyte.gz')]).status).toBe(0);

    const data = await loadMnist({
      cacheDir: cacheRoot,
      sources: ['cache', 'package'],
      resolveFrom: import.meta.url,
    });
    expect(data.source.kind).toBe('package');
    expect(data.test.labelCounts()).toEqual(MNIST_FACTS.testHistogram);
    const [attempt] = data.attempts;
    expect(attempt?.kind).toBe('cache');
    expect(attempt?.code).toBe('UNREADABLE');
    expect(attempt?.outcome).toContain(
      `skipped ${join(dir, 'train-labels-idx1-ubyte.gz')} is not a regular file (a directory)`,
    );
    expect(attempt?.outcome).toContain(
      `skipped ${join(dir, 't10k-labels-idx1-ubyte.gz')} cannot be read (ELOOP`,
    );
    expect(attempt?.outcome).toContain(
      `skipped ${join(dir, 't10k-images-idx3-ubyte.gz')} is not a regular file (a named pipe)`,
    );
    expect(attempt?.outcome).toContain(
      `removed damaged ${join(dir, 'train-images-idx3-ubyte.gz')} (TOO_LARGE)`,
    );
    // What may not be ours stays; the oversized data file (ours, damaged) is gone.
    expect(await listCache()).toEqual([
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
    ]);
  });

  it('a cache that cannot be written is a CACHE_UNWRITABLE error naming the folder and what to do', async () => {
    // A file where the cache folder should be.
    await writeFile(cacheDir(), 'a file, not a folder');
    const blocked = (await caught(() => download(['good'], { splits: ['test'] }))) as MnistDataError;
    expect(blocked.code).toBe('CACHE_UNWRITABLE');
    expect(blocked.message.split('\n')[0]).toBe(
      `Cannot create a folder in the cache folder ${cacheDir()}: a file is in the way of a folder (EEXIST). ` +
        'Fix or remove what is in the way, or point the cache elsewhere (the cacheDir option or MNIST_CACHE_DIR) at a ' +
        'folder you can write; or put the files in a folder yourself and pass it as dir or MNIST_DATA_DIR.',
    );
    expect(hits).toEqual([]);

    // A file where a parent folder should be.
    const under = (await caught(() =>
      loadMnist({
        cacheDir: join(cacheDir(), 'sub'),
        sources: ['download'],
        mirrors: [`${base}/good/`],
        splits: ['test'],
      }),
    )) as MnistDataError;
    expect(under.code).toBe('CACHE_UNWRITABLE');
    expect(under.message).toContain('(ENOTDIR)');
  });

  it('a cache under a dangling symbolic link or in /proc is CACHE_UNWRITABLE at once, where mkdir -p spun forever', async () => {
    // Node's recursive mkdir retries forever when a parent that exists refuses children with ENOENT.
    await mkdir(cacheRoot, { recursive: true });
    const dangling = join(cacheRoot, 'dangling');
    await symlink(join(cacheRoot, 'gone'), dangling);
    const places: [string, string][] = [
      [join(dangling, 'cache'), 'a file is in the way of a folder (EEXIST)'],
      ...(process.platform === 'linux'
        ? ([
            ['/proc/self/fd', 'no folder can be made there (a special file system such as /proc) (ENOENT)'],
          ] as [string, string][])
        : []),
    ];
    for (const [place, why] of places) {
      const e = (await caught(() =>
        loadMnist({ cacheDir: place, sources: ['download'], mirrors: [`${base}/good/`], splits: ['test'] }),
      )) as MnistDataError;
      expect(e.code, place).toBe('CACHE_UNWRITABLE');
      expect(e.message, place).toContain(why);
    }
    expect(hits).toEqual([]);
  });

  it('a folder in the place of a file to save is CACHE_UNWRITABLE, not a raw EISDIR', async () => {
    await mkdir(join(cacheDir(), 't10k-labels-idx1-ubyte.gz', 'inside'), { recursive: true });
    const e = (await caught(() => download(['good'], { splits: ['test'] }))) as MnistDataError;
    expect(e.code).toBe('CACHE_UNWRITABLE');
    expect(e.message).toContain(
      `Cannot save t10k-labels-idx1-ubyte.gz in the cache folder ${cacheDir()}: a folder is in the way of a file`,
    );
    expect((await listCache()).filter((name) => name.endsWith('.part'))).toEqual([]);
  });
});
