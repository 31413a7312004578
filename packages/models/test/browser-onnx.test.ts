// toOnnx in a real Chromium: the browser entry bundled for the browser platform (which fails on any Node built-in),
// exporting the pretrained models in the page must give the very bytes Node gives, and onnxruntime-web must run
// them in the page to the probabilities predict gives in Node.
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserSite, findChromium, skipUnless } from '@mnist/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, loadPretrained, predict, toOnnx } from '../src/node.js';
import { startModelsSite } from './support/browser.js';
import { mnist } from './support/data.js';
import { largestDifference } from './support/onnx.js';

const IMAGES = 64;
const NAMES = ['mlp', 'cnn'] as const;

let site: BrowserSite;
let images: number[];
/** What Node exports and predicts, per model. */
const node: Record<
  string,
  { sha256: string; length: number; probabilities: Float32Array; outputs: Float32Array }
> = {};

beforeAll(async () => {
  await initBackend('wasm', { log: false });
  const test = (await mnist()).test.take(IMAGES);
  images = Array.from(test.images);
  for (const name of NAMES) {
    const model = await loadPretrained(name);
    const bytes = await toOnnx(model);
    node[name] = {
      sha256: createHash('sha256').update(bytes).digest('hex'),
      length: bytes.length,
      probabilities: await predict(model, test),
      outputs: await predict(model, test, { raw: true }),
    };
    model.layersModel.dispose();
  }
  site = await startModelsSite({
    globals: { ort: '/ort/ort.wasm.min.mjs' },
    mounts: { '/ort/': dirname(fileURLToPath(import.meta.resolve('onnxruntime-web/wasm'))) },
  });
}, 180_000);

afterAll(async () => {
  await site?.close();
});

type Page = {
  models: typeof import('../src/browser.js');
  ort: typeof import('onnxruntime-web');
};

describe.skipIf(skipUnless(findChromium()))('toOnnx in Chromium', () => {
  for (const name of NAMES) {
    it(`${name}: the same bytes as in Node, run by onnxruntime-web to predict's probabilities`, async () => {
      const page = await site.openModulePage();
      const result = await page.evaluate(
        async ({ name, images, count }) => {
          const { models, ort } = window as unknown as Page;
          await models.initBackend('wasm', { wasmPaths: '/wasm/', log: false });
          const model = await models.loadPretrained(name);
          const bytes = await models.toOnnx(model);
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
          ort.env.wasm.wasmPaths = '/ort/';
          ort.env.wasm.numThreads = 1; // the page is not cross-origin isolated
          const session = await ort.InferenceSession.create(bytes);
          const pixels = Float32Array.from(images, (v) => v / 255);
          const shape = model.inputKind === 'flat' ? [count, 784] : [count, 28, 28, 1];
          const out = await session.run({ pixels: new ort.Tensor('float32', pixels, shape) });
          return {
            sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
            length: bytes.length,
            plain: bytes.constructor.name,
            probabilities: Array.from(out.probabilities?.data as Float32Array),
            outputs: Array.from(out.outputs?.data as Float32Array),
          };
        },
        { name, images, count: IMAGES },
      );
      const expected = node[name];
      expect({ sha256: result.sha256, length: result.length, plain: result.plain }).toEqual({
        sha256: expected?.sha256,
        length: expected?.length,
        plain: 'Uint8Array',
      });
      expect(
        largestDifference(Float32Array.from(result.probabilities), expected?.probabilities as Float32Array),
      ).toBeLessThan(1e-5);
      expect(
        largestDifference(Float32Array.from(result.outputs), expected?.outputs as Float32Array),
      ).toBeLessThan(1e-5);
      await page.close();
    });
  }
});
