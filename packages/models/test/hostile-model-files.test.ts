// A model directory or URL is untrusted input: its model.json decides which files are read as weights. These
// tests hand loadModel hostile manifests on real files, FIFOs, links and loopback HTTP servers, and check that
// nothing outside the model is read, nothing past the declared size is read, and nothing hangs.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createModel,
  initBackend,
  loadModel,
  type MnistModel,
  MnistModelError,
  type ModelJson,
  modelToFiles,
  predict,
} from '../src/node.js';

let work: string;
let model: MnistModel;
let json: ModelJson;
let weights: Uint8Array;

beforeAll(async () => {
  await initBackend('cpu', { log: false });
  work = await mkdtemp(join(tmpdir(), 'mnist-hostile-'));
  model = createModel('simple', { seed: 3 });
  const files = await modelToFiles(model);
  json = files.modelJson;
  weights = new Uint8Array(files.weights);
});

afterAll(async () => {
  model?.layersModel.dispose();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** A model directory whose manifest lists `paths` (the real weights are written as `weights.bin` unless told). */
async function hostileDir(name: string, paths: unknown[], writeWeights = true): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  const manifest = structuredClone(json);
  (manifest.weightsManifest[0] as { paths: unknown[] }).paths = paths;
  await writeFile(join(dir, 'model.json'), JSON.stringify(manifest));
  if (writeWeights) await writeFile(join(dir, 'weights.bin'), weights);
  return dir;
}

async function refusal(promise: Promise<unknown>): Promise<MnistModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MnistModelError);
  return error as MnistModelError;
}

/**
 * How long a refusal may take before it counts as a hang: a refusal takes milliseconds (no byte is read past the
 * limit), so a minute tells a hang from a busy machine, never a slow machine from a fast one.
 */
const HANG_MS = 60_000;

/** Resolves with the error, or fails the test if loading is still running after {@link HANG_MS} (a hang). */
async function refusedWithoutHanging(promise: Promise<unknown>): Promise<MnistModelError> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`loadModel still running after ${HANG_MS} ms: a hang`)),
      HANG_MS,
    );
  });
  try {
    return await Promise.race([refusal(promise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('loadModel on a topology tfjs cannot build', () => {
  it("names an unknown activation and the ones tfjs has, instead of tfjs's advice about Python and registerClass", async () => {
    const dir = join(work, 'custom-activation');
    await mkdir(dir, { recursive: true });
    const manifest = structuredClone(json);
    const layers = (manifest.modelTopology as { config: { layers: { config: { activation?: string } }[] } })
      .config.layers;
    for (const layer of layers)
      if (layer.config.activation !== undefined) layer.config.activation = 'my_swishy';
    await writeFile(join(dir, 'model.json'), JSON.stringify(manifest));
    await writeFile(join(dir, 'weights.bin'), weights);
    const error = await refusal(loadModel(dir));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toBe(
      `tfjs could not build the model in ${join(dir, 'model.json')}: a layer uses the activation 'my_swishy', which ` +
        'TensorFlow.js does not have (a custom activation defined in Python cannot be loaded). Use one tfjs has: ' +
        'relu, sigmoid, softmax, tanh, elu, selu, softplus, softsign, relu6, hard_sigmoid, log_softmax, swish, mish, ' +
        'gelu, gelu_new, linear.',
    );
  });
});

describe('loadModel(directory) reads weights only from regular files inside the model directory', () => {
  it('refuses paths that climb out, are absolute or are URLs, without revealing anything about the target', async () => {
    // A file outside the model directory with exactly the declared size: only the path rule can stop it.
    await writeFile(join(work, 'secret.bin'), weights);
    const passwdSize = String((await stat('/etc/passwd')).size);
    const cases: [unknown, RegExp][] = [
      ['../secret.bin', /climbs out of the model directory/],
      ['sub/../../secret.bin', /climbs out/],
      ['../../../../../../../../etc/passwd', /climbs out/],
      ['/etc/passwd', /absolute path/],
      ['/etc/shadow', /absolute path/],
      [join(work, 'secret.bin'), /absolute path/],
      ['/dev/zero', /absolute path/],
      ['file:///etc/passwd', /absolute URL/],
      ['http://127.0.0.1:9/weights.bin', /absolute URL/],
      ['C:\\Windows\\win.ini', /backslash|absolute/],
      ['\\\\host\\share\\w.bin', /backslash/],
      ['weights.bin\u0000.png', /NUL byte/],
      ['', /empty/],
      [42, /not a string/],
      [null, /not a string/],
    ];
    for (const [index, [path, why]] of cases.entries()) {
      const dir = await hostileDir(`climb-${index}`, [path]);
      const error = await refusedWithoutHanging(loadModel(dir));
      expect(error.code).toBe('CORRUPT_FILE');
      expect(error.message).toMatch(why);
      expect(error.message).toMatch(/nothing else is read/);
      expect(error.file).toBe(join(dir, 'model.json'));
      // Neither the size of /etc/passwd nor that of the outside file appears.
      expect(error.message).not.toContain(passwdSize);
      expect(error.message).not.toContain(String(weights.byteLength));
    }
  });

  it('refuses a link inside the directory that leads outside, and follows one that stays inside', async () => {
    const out = await hostileDir('link-out', ['weights-link.bin']);
    await symlink(join(work, 'secret.bin'), join(out, 'weights-link.bin'));
    const error = await refusal(loadModel(out));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/leads outside the model directory/);

    const passwd = await hostileDir('link-passwd', ['p.bin']);
    await symlink('/etc/passwd', join(passwd, 'p.bin'));
    expect((await refusal(loadModel(passwd))).message).toMatch(/leads outside/);

    const inside = await hostileDir('link-in', ['alias.bin']);
    await symlink('weights.bin', join(inside, 'alias.bin'));
    const loaded = await loadModel(inside);
    expect(loaded.layersModel.countParams()).toBe(7850);
    loaded.layersModel.dispose();
  });

  it('refuses a FIFO, a device and a directory promptly, as weights and as model.json', async () => {
    const fifoDir = await hostileDir('fifo', ['weights.bin'], false);
    execFileSync('mkfifo', [join(fifoDir, 'weights.bin')]);
    const fifo = await refusedWithoutHanging(loadModel(fifoDir));
    expect(fifo.code).toBe('CORRUPT_FILE');
    expect(fifo.message).toMatch(/not a regular file/);

    const fifoJson = join(work, 'fifo-json');
    await mkdir(fifoJson);
    execFileSync('mkfifo', [join(fifoJson, 'model.json')]);
    expect((await refusedWithoutHanging(loadModel(fifoJson))).message).toMatch(/not a regular file/);

    const deviceDir = await hostileDir('device', ['zero.bin'], false);
    await symlink('/dev/zero', join(deviceDir, 'zero.bin'));
    // /dev is outside: refused by the link rule before it is ever opened.
    expect((await refusedWithoutHanging(loadModel(deviceDir))).message).toMatch(/leads outside/);
    await expect(refusedWithoutHanging(loadModel('/dev/zero.json'))).resolves.toBeInstanceOf(MnistModelError);

    const dirDir = await hostileDir('directory', ['sub'], false);
    await mkdir(join(dirDir, 'sub'));
    expect((await refusal(loadModel(dirDir))).message).toMatch(/not a regular file/);
  });

  it('never reads past the declared size: a longer or huge weights file and a huge declared shape are refused', async () => {
    const longer = await hostileDir('longer', ['weights.bin'], false);
    await writeFile(join(longer, 'weights.bin'), new Uint8Array(weights.byteLength + 1));
    const error = await refusal(loadModel(longer));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/holds more bytes but .* 31400 bytes/s);

    // A sparse 8 GiB file: refused from its size alone, so this takes no time and no memory.
    const huge = await hostileDir('huge', ['weights.bin'], false);
    await writeFile(join(huge, 'weights.bin'), '');
    await truncate(join(huge, 'weights.bin'), 8 * 1024 ** 3);
    const rssBefore = process.memoryUsage().rss;
    expect((await refusedWithoutHanging(loadModel(huge))).message).toMatch(/holds more bytes/);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 ** 2);

    const declared = join(work, 'declared');
    await mkdir(declared);
    const manifest = structuredClone(json);
    const spec = manifest.weightsManifest[0]?.weights[0] as { shape: number[] };
    spec.shape = [1_000_000, 1_000_000];
    await writeFile(join(declared, 'model.json'), JSON.stringify(manifest));
    await writeFile(join(declared, 'weights.bin'), weights);
    expect((await refusal(loadModel(declared))).message).toMatch(/declares 4000000000040 bytes of weights/);

    spec.shape = [-1, 10] as number[];
    await writeFile(join(declared, 'model.json'), JSON.stringify(manifest));
    expect((await refusal(loadModel(declared))).message).toMatch(/unknown size/);
  });

  it('still loads ordinary layouts: "./" prefixes and shards in a sub-directory, split anywhere', async () => {
    const dir = join(work, 'sharded');
    await mkdir(join(dir, 'shards'), { recursive: true });
    const manifest = structuredClone(json);
    (manifest.weightsManifest[0] as { paths: string[] }).paths = ['./shards/a.bin', 'shards/b.bin'];
    await writeFile(join(dir, 'model.json'), JSON.stringify(manifest));
    await writeFile(join(dir, 'shards', 'a.bin'), weights.subarray(0, 1001));
    await writeFile(join(dir, 'shards', 'b.bin'), weights.subarray(1001));
    const loaded = await loadModel(dir);
    const image = new Float32Array(784).fill(0.5);
    const [expected, actual] = await Promise.all([predict(model, image), predict(loaded, image)]);
    expect(Array.from(actual)).toEqual(Array.from(expected));
    loaded.layersModel.dispose();

    // The second shard missing a byte: the total is short, and says so.
    await writeFile(join(dir, 'shards', 'b.bin'), weights.subarray(1001, weights.byteLength - 1));
    expect((await refusal(loadModel(dir))).message).toMatch(/holds 31399 bytes but .* 31400 bytes/s);
  });
});

/** A loopback server with a handler per path; it records every request it receives. */
async function server(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const http = createServer((request, response) => {
    requests.push(request.url ?? '');
    handler(request, response);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

describe('loadModel(url) fetches weights only below the model.json on the same origin, up to the declared size', () => {
  it('refuses weights on another origin or outside the folder without requesting them', async () => {
    const other = await server((_, response) => response.end(weights));
    const site = await server((request, response) => {
      const paths: Record<string, unknown[]> = {
        '/models/a/model.json': [`${other.url}weights.bin`],
        '/models/b/model.json': ['../a/weights.bin'],
        '/models/c/model.json': ['weights.bin'],
      };
      const listed = paths[request.url ?? ''];
      if (listed !== undefined) {
        const manifest = structuredClone(json);
        (manifest.weightsManifest[0] as { paths: unknown[] }).paths = listed;
        response.end(JSON.stringify(manifest));
      } else if (request.url === '/models/c/weights.bin') {
        // A redirect to the other origin: not followed.
        response.writeHead(302, { location: `${other.url}weights.bin` }).end();
      } else {
        response.writeHead(404).end();
      }
    });
    try {
      const a = await refusal(loadModel(`${site.url}models/a/model.json`));
      expect(a.message).toMatch(/absolute URL/);
      const b = await refusal(loadModel(`${site.url}models/b/model.json`));
      expect(b.message).toMatch(/climbs out/);
      const c = await refusal(loadModel(`${site.url}models/c/model.json`));
      expect(c.code).toBe('FETCH_FAILED');
      expect(c.message).toMatch(/redirect/);
      expect(other.requests).toEqual([]);
      expect(site.requests).not.toContain('/models/a/weights.bin');
    } finally {
      await Promise.all([site.close(), other.close()]);
    }
  });

  it('stops reading a body that runs past the declared size, and refuses a declared length over it', async () => {
    let bytesSent = 0;
    const site = await server((request, response) => {
      if (request.url === '/m/model.json') {
        response.end(JSON.stringify(json));
      } else if (request.url === '/m/weights.bin') {
        // An endless body without a length: the client must stop after the declared 31,400 bytes.
        const chunk = new Uint8Array(64 * 1024);
        const pump = (): void => {
          while (!response.destroyed && bytesSent < 1024 ** 3 && response.write(chunk))
            bytesSent += chunk.length;
          if (!response.destroyed && bytesSent < 1024 ** 3) response.once('drain', pump);
        };
        pump();
      } else if (request.url === '/n/model.json') {
        response.end(JSON.stringify(json));
      } else if (request.url === '/n/weights.bin') {
        response.writeHead(200, { 'content-length': String(10 * 1024 ** 3) });
        response.write(new Uint8Array(16));
      }
    });
    try {
      const endless = await refusedWithoutHanging(loadModel(`${site.url}m/model.json`));
      expect(endless.message).toMatch(/holds more bytes but .* 31400 bytes/s);
      expect(bytesSent).toBeLessThan(64 * 1024 ** 2);
      const declared = await refusedWithoutHanging(loadModel(`${site.url}n/model.json`));
      expect(declared.message).toMatch(/holds more bytes/);
    } finally {
      await site.close();
    }
  });

  it('loads a model served normally, and one whose weights sit in a sub-folder', async () => {
    const dir = join(work, 'served');
    await mkdir(join(dir, 'w'), { recursive: true });
    const manifest = structuredClone(json);
    (manifest.weightsManifest[0] as { paths: string[] }).paths = ['./w/weights.bin'];
    await writeFile(join(dir, 'model.json'), JSON.stringify(manifest));
    await writeFile(join(dir, 'w', 'weights.bin'), weights);
    const site = await server(async (request, response) => {
      try {
        response.end(await readFile(join(dir, (request.url ?? '').replace(/^\/x\//, ''))));
      } catch {
        response.writeHead(404).end();
      }
    });
    try {
      const loaded = await loadModel(`${site.url}x/model.json`);
      expect(loaded.layersModel.countParams()).toBe(7850);
      loaded.layersModel.dispose();
    } finally {
      await site.close();
    }
  });
});
