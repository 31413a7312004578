// toOnnx in a real Chromium: the browser entry bundled for the browser platform (which fails on any Node built-in),
// exporting the pretrained models in the page must give the very bytes Node gives, and onnxruntime-web must run
// them in the page to the probabilities predict gives in Node.
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  findChromium,
  launchChromium,
  type StaticServer,
  skipUnless,
  startStaticServer,
} from '@mnist/test-support';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, loadPretrained, predict, toOnnx } from '../src/node.js';
import { mnist } from './support/data.js';
import { largestDifference } from './support/onnx.js';

const IMAGES = 64;
const NAMES = ['mlp', 'cnn'] as const;

let server: StaticServer;
let browser: Browser;
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
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('../src/browser.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@mnist/source'],
    write: false,
    logLevel: 'silent',
  });
  const ortDir = dirname(fileURLToPath(import.meta.resolve('onnxruntime-web/wasm')));
  const wasmDir = dirname(fileURLToPath(import.meta.resolve('@tensorflow/tfjs-backend-wasm')));
  const page =
    '<!doctype html><meta charset="utf-8"><script type="module">' +
    "import * as models from '/models.js'; import * as ort from '/ort/ort.wasm.min.mjs';" +
    'window.models = models; window.ort = ort; window.ready = true;</script>';
  server = await startStaticServer({
    files: { '/': page, '/models.js': bundle.outputFiles[0]?.text ?? '' },
    mounts: { '/ort/': ortDir, '/wasm/': wasmDir },
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Page = {
  models: typeof import('../src/browser.js');
  ort: typeof import('onnxruntime-web');
};

describe.skipIf(skipUnless(findChromium()))('toOnnx in Chromium', () => {
  for (const name of NAMES) {
    it(`${name}: the same bytes as in Node, run by onnxruntime-web to predict's probabilities`, async () => {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/`);
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
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
