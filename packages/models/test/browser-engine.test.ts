// The training engine in a real Chromium page: on a cross-origin isolated page (served with COOP/COEP headers)
// it trains on worker threads over shared memory, elsewhere on one thread; either way it computes what Node
// computes with the same thread count, bit for bit (WebAssembly float arithmetic is deterministic).
import { type BrowserSite, CROSS_ORIGIN_ISOLATION, findChromium, skipUnless } from '@mnist/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, initBackend, train } from '../src/node.js';
import { startModelsSite } from './support/browser.js';
import { mnist } from './support/data.js';

const COUNT = 192;

/** The page under /isolated/ (served with COOP/COEP) and under /plain/ (without), from two servers, one browser. */
const sites: Partial<Record<'isolated' | 'plain', BrowserSite>> = {};
let images: number[];
let labels: number[];

beforeAll(async () => {
  await initBackend('cpu', { log: false });
  const set = (await mnist()).train.take(COUNT);
  images = Array.from(set.images);
  labels = Array.from(set.labels);
  // /isolated/ is served cross-origin isolated; /plain/ is not.
  sites.isolated = await startModelsSite({ page: '/isolated/', headers: CROSS_ORIGIN_ISOLATION });
  sites.plain = await startModelsSite({ page: '/plain/', browser: sites.isolated.browser });
}, 300_000);

afterAll(async () => {
  await sites.plain?.close();
  await sites.isolated?.close();
});

interface PageRun {
  isolated: boolean;
  engine: unknown;
  loss: number;
  weights: number[];
}

async function trainInPage(path: 'isolated' | 'plain', threads?: number): Promise<PageRun> {
  const site = sites[path];
  if (site === undefined) throw new Error(`no ${path} site: its set-up failed`);
  const page = await site.openModulePage(`/${path}/`);
  try {
    return await page.evaluate(
      async ({ images, labels, threads }) => {
        type Models = typeof import('../src/browser.js');
        const m = (window as unknown as { models: Models }).models;
        await m.initBackend('cpu', { log: false });
        const model = m.createModel('cnn', { seed: 9 });
        const set = {
          count: labels.length,
          images: Uint8Array.from(images),
          labels: Uint8Array.from(labels),
        };
        const result = await m.train(model, set, { epochs: 1, seed: 4, ...(threads ? { threads } : {}) });
        const weights = Array.from(model.layersModel.getWeights()[0]?.dataSync() ?? []);
        return {
          isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
          engine: result.engine,
          loss: result.history[0]?.loss ?? Number.NaN,
          weights,
        };
      },
      { images, labels, threads },
    );
  } finally {
    await page.close();
  }
}

async function trainInNode(threads: number): Promise<{ loss: number; weights: number[] }> {
  const model = createModel('cnn', { seed: 9 });
  const set = { count: COUNT, images: Uint8Array.from(images), labels: Uint8Array.from(labels) };
  const result = await train(model, set, { epochs: 1, seed: 4, threads });
  expect(result.engine).toEqual({ kind: 'wasm', threads, simd: true });
  const weights = Array.from(model.layersModel.getWeights()[0]?.dataSync() ?? []);
  model.layersModel.dispose();
  return { loss: result.history[0]?.loss ?? Number.NaN, weights };
}

describe.skipIf(skipUnless(findChromium()))(
  'the wasm training engine in Chromium',
  { timeout: 240_000 },
  () => {
    it('trains on 2 threads in a cross-origin isolated page, the same weights as Node on 2 threads', async () => {
      const run = await trainInPage('isolated', 2);
      expect(run.isolated).toBe(true);
      expect(run.engine).toEqual({ kind: 'wasm', threads: 2, simd: true });
      const node = await trainInNode(2);
      expect(run.loss).toBe(node.loss);
      expect(run.weights).toEqual(node.weights);
    });

    it('trains on 1 thread in a page that is not isolated (no shared memory), the same weights as Node on 2 threads', async () => {
      const run = await trainInPage('plain', 2);
      expect(run.isolated).toBe(false);
      expect(run.engine).toEqual({ kind: 'wasm', threads: 1, simd: true });
      // The batch's slices, not the threads, fix the arithmetic: one thread in a page, two in Node, the same bits.
      const node = await trainInNode(2);
      expect(run.loss).toBe(node.loss);
      expect(run.weights).toEqual(node.weights);
    });

    it('defaults to the available cores (at most 4) in an isolated page', async () => {
      const run = await trainInPage('isolated');
      expect(run.engine).toMatchObject({ kind: 'wasm', simd: true });
      expect((run.engine as { threads: number }).threads).toBeGreaterThanOrEqual(1);
      expect(Number.isFinite(run.loss)).toBe(true);
    });
  },
);
