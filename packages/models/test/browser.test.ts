// The browser entry in a real Chromium: bundled for the browser platform (which fails on any Node built-in),
// served from 127.0.0.1 with the wasm binaries and a model saved in Node; the page picks a backend, loads the
// model by a page-relative URL, and must predict what Node predicts. Stock tfjs-layers loads the same files.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserSite, findChromium, skipUnless } from '@mnist/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, initBackend, type MnistModel, predict, saveModel, train } from '../src/node.js';
import { startModelsSite } from './support/browser.js';
import { mnist } from './support/data.js';

const IMAGES = 64;

let site: BrowserSite;
let workDir: string;
let model: MnistModel;
let images: number[];
let expected: Float32Array;

beforeAll(async () => {
  await initBackend('wasm', { log: false });
  const data = await mnist();
  model = createModel('mlp', { seed: 2 });
  await train(model, data.train.take(1000), { epochs: 1 });
  workDir = await mkdtemp(join(tmpdir(), 'mnist-models-browser-'));
  await saveModel(model, join(workDir, 'mlp'));
  const testImages = data.test.take(IMAGES);
  images = Array.from(testImages.images);
  expected = await predict(model, testImages);

  // The browser entry plus stock tfjs-layers' loader, in one bundle so they share one tfjs-core.
  site = await startModelsSite({
    alsoExport:
      " export { loadLayersModel } from '@tensorflow/tfjs-layers';" +
      " export { tensor2d, getBackend } from '@tensorflow/tfjs-core';",
    mounts: { '/saved/': workDir },
  });
}, 180_000);

afterAll(async () => {
  await site?.close();
  model?.layersModel.dispose();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

const openPage = () => site.openModulePage();

type Models = typeof import('../src/browser.js') & {
  loadLayersModel: typeof import('@tensorflow/tfjs-layers').loadLayersModel;
  tensor2d: typeof import('@tensorflow/tfjs-core').tensor2d;
  getBackend: () => string;
};

describe.skipIf(skipUnless(findChromium()))('@mnist/models/browser in Chromium', () => {
  it('auto picks a backend in order (webgl, wasm, cpu) and reports why', async () => {
    const page = await openPage();
    const result = await page.evaluate(async () => {
      const m = (window as unknown as { models: Models }).models;
      const name = await m.initBackend('auto', { wasmPaths: '/wasm/', log: false });
      return { name, active: m.getBackend(), info: m.backendInfo() };
    });
    expect(['webgl', 'wasm']).toContain(result.name);
    expect(result.active).toBe(result.name);
    expect(result.info?.chosenBy).toBe('auto');
    if (result.name === 'wasm') expect(result.info?.skipped.map((s) => s.name)).toEqual(['webgl']);
    await page.close();
  });

  it('refuses a wasm thread count tfjs would take unchecked, before any backend starts', async () => {
    const page = await openPage();
    const refusals = await page.evaluate(async () => {
      const m = (window as unknown as { models: Models }).models;
      const said: string[] = [];
      for (const wasmThreads of [0, 2.5, Number.NaN, -1]) {
        await m
          .initBackend('wasm', { wasmPaths: '/wasm/', wasmThreads, log: false })
          .catch((error: Error) => {
            said.push(`${(error as { code?: string }).code}: ${error.message}`);
          });
      }
      return { said, info: m.backendInfo() ?? null };
    });
    expect(refusals.said).toEqual(
      ['0', '2.5', 'NaN', '-1'].map(
        (value) => `BAD_INPUT: initBackend: wasmThreads must be a positive integer; got ${value}.`,
      ),
    );
    expect(refusals.info).toBeNull();
    await page.close();
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`loads a model saved in Node by relative URL and predicts the same on ${backend}`, async () => {
      const page = await openPage();
      const result = await page.evaluate(
        async ({ backend, images }) => {
          const m = (window as unknown as { models: Models }).models;
          const name = await m.initBackend(backend, { wasmPaths: '/wasm/', log: false });
          const loaded = await m.loadModel('saved/mlp/');
          const probabilities = await m.predict(loaded, Uint8Array.from(images));
          const missing = await m.loadModel('saved/none/').then(
            () => '',
            (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
          );
          const saveError = await m.saveModel(loaded, 'x').then(
            () => '',
            (e: { code: string }) => e.code,
          );
          return {
            name,
            simd: m.backendInfo()?.simd,
            loadedName: loaded.name,
            probabilities: Array.from(probabilities),
            missing,
            saveError,
          };
        },
        { backend, images },
      );
      expect(result.name).toBe(backend);
      if (backend === 'wasm') expect(result.simd).toBe(true);
      expect(result.loadedName).toBe('mlp');
      expect(result.probabilities).toHaveLength(IMAGES * 10);
      for (const [i, p] of result.probabilities.entries()) expect(p).toBeCloseTo(expected[i] as number, 5);
      expect(result.missing).toMatch(/^NOT_FOUND: .*\/saved\/none\/model\.json.*HTTP 404/);
      expect(result.saveError).toBe('UNSUPPORTED');
      await page.close();
    });
  }

  it('stock tfjs-layers loadLayersModel reads the saved files; training runs and can be aborted in the page', async () => {
    const page = await openPage();
    const result = await page.evaluate(
      async ({ images, count }) => {
        const m = (window as unknown as { models: Models }).models;
        await m.initBackend('wasm', { wasmPaths: '/wasm/', log: false });
        const stock = await m.loadLayersModel('/saved/mlp/model.json');
        const x = m.tensor2d(
          Float32Array.from(images, (v) => v / 255),
          [count, 784],
        );
        const raw = Array.from((stock.predict(x) as { dataSync(): Float32Array }).dataSync());
        // A short training run in the page: the loop yields to the event loop, so a timer's abort lands.
        const fresh = m.createModel('simple', { seed: 1 });
        const set = { count, images: Uint8Array.from(images), labels: new Uint8Array(count) };
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 30);
        const run = await m.train(fresh, set, { epochs: 10_000, signal: controller.signal });
        return { raw, aborted: run.aborted, epochs: run.history.length };
      },
      { images, count: IMAGES },
    );
    const ours = await predict(model, Uint8Array.from(images), { raw: true });
    for (const [i, p] of result.raw.entries()) expect(p).toBeCloseTo(ours[i] as number, 5);
    expect(result.aborted).toBe(true);
    expect(result.epochs).toBeLessThan(10_000);
    await page.close();
  });
});
