// End-to-end: Keras's .keras files in and out of the page (issue "Keras parity and interop"), in Debian's Chromium
// against the built site on 127.0.0.1. Files made by Keras 3 itself (@mnist/models' fixtures) are dropped or picked
// onto the page and must read drawings and test images as @mnist/models reads them in Node; the visitor's model
// downloads as .keras (loaded back in Node to the same weights) and as ONNX (the bytes toOnnx gives in Node);
// damaged or unsafe files get the library's own message and leave the model in use alone; once used, all of it
// works offline.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MnistSplit } from '@mnist/data';
import { confusionMatrix } from '@mnist/metrics';
import {
  evaluate,
  initBackend,
  loadModel,
  type MnistModel,
  MnistModelError,
  MODEL_JSON,
  toOnnx,
  WEIGHTS_BIN,
} from '@mnist/models/node';
import { type BrowserSite, findChromium, recordPageErrors, skipUnless, waitUntil } from '@mnist/test-support';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerSpec } from '../../src/inference/layerSpec';
import { kerasBytes } from '../support/keras';
import { mnistTest } from '../support/mnist';
import {
  axeViolations,
  type DemoPage,
  drawDigit,
  nodeAnswer,
  openDemo,
  reloadOffline,
  screenshot,
  startDemoSite,
  startTraining,
  trainingResult,
  waitForModel,
} from './harness';

/** Test images drawn with the mouse on each loaded model. */
const DRAWN = [0, 37, 74];
/** Test images the explorer runs (`?n=`). */
const EXPLORED = 500;

let site: BrowserSite;
let test: MnistSplit;
let work: string;
/** The Keras tutorial's mlp and keras.io's "Simple MNIST convnet", as Keras 3 saved them, read in Node. */
let nodeMlp: MnistModel;
let nodeConvnet: MnistModel;

/** Chromium is a system requirement: without it these tests are skipped, saying why (CI requires it). */
const withoutChromium = skipUnless(findChromium());

beforeAll(async () => {
  test = await mnistTest();
  work = await mkdtemp(join(tmpdir(), 'web-demo-keras-e2e-'));
  // The page predicts on wasm by default: so does Node here.
  await initBackend('wasm', { log: false });
  nodeMlp = await loadModel({ keras: await kerasBytes('from-keras/mlp.keras'), name: 'mlp.keras' });
  nodeConvnet = await loadModel({
    keras: await kerasBytes('from-keras/convnet.keras'),
    name: 'convnet.keras',
  });
  site = await startDemoSite('/mnist-ts/');
}, 300_000);

afterAll(async () => {
  await site?.close();
  nodeMlp?.layersModel.dispose();
  nodeConvnet?.layersModel.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Drops files on the page's drop zone, as a visitor dragging them from a file manager. */
async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array }[]): Promise<void> {
  const transfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name));
      }
      return dt;
    },
    files.map((f) => ({ name: f.name, base64: Buffer.from(f.bytes).toString('base64') })),
  );
  await page.getByTestId('model-drop').dispatchEvent('drop', { dataTransfer: transfer });
}

/** Waits until the page describes its model as loaded from `fileName`, and the canvas reads with it. */
async function loadedFrom(page: Page, fileName: string): Promise<string> {
  const description = page
    .getByTestId('your-model-description')
    .filter({ hasText: `loaded from ${fileName}` });
  await description.waitFor({ timeout: 60_000 });
  await waitForModel(page, 'yours');
  return (await description.textContent()) ?? '';
}

/** Clicks a download button and returns the file the browser saved: its suggested name and bytes. */
async function download(page: Page, testId: string): Promise<{ name: string; bytes: Uint8Array }> {
  const [file] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    page.getByTestId(testId).click(),
  ]);
  const path = join(work, `${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(path);
  return { name: file.suggestedFilename(), bytes: new Uint8Array(await readFile(path)) };
}

/** Every weight array of a model, as numbers. */
const weightsOf = (model: MnistModel) => model.layersModel.getWeights().map((w) => Array.from(w.dataSync()));

/** The message loadModel gives in Node for these bytes (what the page must show). */
async function nodeRefusal(bytes: Uint8Array, name: string): Promise<MnistModelError> {
  const error = await loadModel({ keras: bytes, name }).then(
    (model) => {
      model.layersModel.dispose();
      throw new Error(`${name} loaded in Node: expected a refusal`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MnistModelError);
  return error as MnistModelError;
}

describe.skipIf(withoutChromium)('Keras .keras files in the page', () => {
  let demo: DemoPage;
  let warnings: string[] = [];

  beforeAll(async () => {
    demo = await openDemo(site.browser, site.server, `?n=${EXPLORED}`);
    // Warnings too from here on (demo.errors has the errors and exceptions).
    warnings = recordPageErrors(demo.page, { console: ['warning'] });
    await waitForModel(demo.page, 'cnn');
    // "Once used" means used with the service worker in control: a chunk the page fetches before the worker has
    // installed and claimed it goes past the worker and is not cached (the last test found exactly that when the
    // install, which precaches the app, was slow). So the first .keras file is dropped once the worker controls.
    await waitUntil('the service worker to control the page', () =>
      demo.page.evaluate(() => navigator.serviceWorker.controller !== null),
    );
  }, 120_000);

  afterAll(async () => {
    expect(demo.foreignRequests()).toEqual([]);
    expect(demo.errors).toEqual([]);
    expect(warnings).toEqual([]);
    await demo?.context.close();
  });

  it('takes the Keras tutorial’s mlp dropped as a .keras file: it reads drawings as @mnist/models does in Node', async () => {
    const { page } = demo;
    // Nothing for .keras files has been fetched yet: the reader and h5wasm load on the first one.
    expect(demo.requests.filter((u) => u.includes('/assets/model-io-'))).toEqual([]);
    await dropFiles(page, [{ name: 'mlp.keras', bytes: await kerasBytes('from-keras/mlp.keras') }]);
    expect(await loadedFrom(page, 'mlp.keras')).toBe('mlp, loaded from mlp.keras');
    expect(demo.requests.some((u) => /\/assets\/model-io-hdf5_hl-[^/]*\.js$/.test(u))).toBe(true);
    await expect(page.getByTestId('layers').textContent()).resolves.toBe(layerSpec(nodeMlp));
    for (const index of DRAWN) {
      const { predicted, input } = await drawDigit(page, test.image(index));
      expect(predicted, `test image ${index}`).toBe(nodeAnswer(nodeMlp, input));
    }
  }, 180_000);

  it('runs it in the explorer: the same predictions as evaluate() in Node on the same test images', async () => {
    const { page } = demo;
    await page.getByTestId('evaluate').click();
    await page.getByTestId('results').waitFor({ timeout: 120_000 });
    const node = await evaluate(nodeMlp, test.subset(0, EXPLORED));
    expect(Number(await page.getByTestId('accuracy').getAttribute('data-value'))).toBe(node.accuracy);
    const cells = await page
      .getByTestId('results')
      .getByTestId('heatmap')
      .locator('[data-count]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
    const expected = confusionMatrix(test.labels.subarray(0, EXPLORED), node.predictions, { numClasses: 10 });
    expect(cells).toEqual(Array.from(expected.counts));
  }, 180_000);

  it('takes keras.io’s convnet from the file picker; damaged and unsafe files get the library’s message and change nothing', async () => {
    const { page } = demo;
    const input = page.getByTestId('model-files');
    const convnet = await kerasBytes('from-keras/convnet.keras');
    await input.setInputFiles({
      name: 'convnet.keras',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(convnet),
    });
    expect(await loadedFrom(page, 'convnet.keras')).toBe('convnet, loaded from convnet.keras');
    await expect(page.getByTestId('layers').textContent()).resolves.toBe(layerSpec(nodeConvnet));
    const before = await drawDigit(page, test.image(DRAWN[0] as number));
    expect(before.predicted).toBe(nodeAnswer(nodeConvnet, before.input));

    // A file cut short (an interrupted download), then one with a Lambda layer (Python code Keras would run).
    const cut = convnet.subarray(0, convnet.length >> 1);
    const lambda = await kerasBytes('refused/lambda.keras');
    for (const [bytes, name] of [
      [cut, 'convnet.keras'],
      [lambda, 'lambda.keras'],
    ] as const) {
      const expected = await nodeRefusal(bytes, name);
      await input.setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
      const alert = page.getByTestId('model-load-error');
      await alert.filter({ hasText: expected.message }).waitFor({ timeout: 60_000 });
      expect(await alert.textContent()).toBe(`That model could not be loaded. ${expected.message}`);
      expect(await alert.getAttribute('role')).toBe('alert');
      // The model in use is still the convnet: same description, same answers.
      await expect(page.getByTestId('your-model-description').textContent()).resolves.toBe(
        'convnet, loaded from convnet.keras',
      );
      expect(await page.getByTestId('active-model').textContent()).toBe('yours');
      const after = await drawDigit(page, test.image(DRAWN[1] as number));
      expect(after.predicted).toBe(nodeAnswer(nodeConvnet, after.input));
    }
    // Two files, one of them .keras: said in a sentence, nothing read.
    await input.setInputFiles([
      { name: 'convnet.keras', mimeType: 'application/octet-stream', buffer: Buffer.from(convnet) },
      { name: MODEL_JSON, mimeType: 'application/json', buffer: Buffer.from('{}') },
    ]);
    await page
      .getByTestId('model-load-error')
      .filter({ hasText: 'A .keras file holds the whole model: choose convnet.keras on its own' })
      .waitFor();
  }, 240_000);

  it('downloads the loaded convnet for Keras (the same weights back in Node) and as ONNX (Node’s toOnnx bytes)', async () => {
    const { page } = demo;
    const keras = await download(page, 'download-keras');
    expect(keras.name).toBe('mnist-convnet.keras');
    const back = await loadModel({ keras: keras.bytes, name: keras.name });
    try {
      expect(back.name).toBe('convnet');
      expect(back.inputKind).toBe('image');
      expect(weightsOf(back)).toEqual(weightsOf(nodeConvnet));
    } finally {
      back.layersModel.dispose();
    }
    const onnx = await download(page, 'download-onnx');
    expect(onnx.name).toBe('mnist-convnet.onnx');
    expect(onnx.bytes).toEqual(await toOnnx(nodeConvnet));
  }, 180_000);

  it('downloads a model trained here as .keras and ONNX, matching its model.json + weights.bin download', async () => {
    const { page } = demo;
    await startTraining(page, { model: 'simple', epochs: 1, images: 2000 });
    await trainingResult(page);
    await page
      .getByTestId('your-model-description')
      .filter({ hasText: 'simple trained here on 2,000 images' })
      .waitFor();
    const pair = join(work, 'trained');
    const saved: string[] = [];
    const both = new Promise<void>((resolve) => {
      const onDownload = async (d: import('playwright-core').Download) => {
        await d.saveAs(join(pair, d.suggestedFilename()));
        saved.push(d.suggestedFilename());
        if (saved.length === 2) {
          page.off('download', onDownload);
          resolve();
        }
      };
      page.on('download', onDownload);
    });
    await page.getByTestId('download-model').click();
    await both;
    expect(saved.sort()).toEqual([MODEL_JSON, WEIGHTS_BIN].sort());
    const trained = await loadModel(pair);
    const keras = await download(page, 'download-keras');
    expect(keras.name).toBe('mnist-simple.keras');
    const fromKeras = await loadModel({ keras: keras.bytes, name: keras.name });
    try {
      expect(fromKeras.name).toBe('simple');
      expect(fromKeras.recipe).toEqual(trained.recipe);
      expect(weightsOf(fromKeras)).toEqual(weightsOf(trained));
      const onnx = await download(page, 'download-onnx');
      expect(onnx.name).toBe('mnist-simple.onnx');
      expect(onnx.bytes).toEqual(await toOnnx(trained));
    } finally {
      trained.layersModel.dispose();
      fromKeras.layersModel.dispose();
    }
  }, 300_000);

  it('has no accessibility violations with the downloads and an error message shown (axe, light and dark)', async () => {
    const { page } = demo;
    await page.getByTestId('model-files').setInputFiles({
      name: 'broken.keras',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('not a zip'),
    });
    await page.getByTestId('model-load-error').filter({ hasText: 'broken.keras' }).waitFor();
    await page.getByTestId('download-keras').waitFor();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await axeViolations(page, '[data-testid="your-model"]'), colorScheme).toEqual([]);
      await screenshot(page, `your-model-keras-${colorScheme}`, { testId: 'your-model' });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }, 120_000);

  it('works offline once used: the service worker cached the .keras and ONNX chunks on first use', async () => {
    const { page } = demo;
    // One reload online first: from then on the service worker makes the page cross-origin isolated, and tfjs takes
    // its threaded wasm binary, which (like these chunks) is cached on first use.
    await page.reload();
    await waitForModel(page, 'yours');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // The chunks were fetched through the service worker, which stores them in the background, announcing it to no
    // one: wait (bounded) until the page's caches hold these, and every other chunk cached on first use that the page
    // has fetched so far (the .keras reader's conversions too).
    const parts = ['model-io-hdf5_hl-', 'model-io-read-', 'model-io-write-', 'model-io-encode-'];
    const fetched = [
      ...new Set(
        demo.requests
          .map((url) => new URL(url).pathname)
          .filter((path) =>
            /\/assets\/(model-io-[^/]*\.js|tfjs-backend-wasm-threaded-simd-[^/]*\.wasm)$/.test(path),
          ),
      ),
    ];
    await waitUntil(
      `the service worker to cache the .keras and ONNX chunks and the threaded wasm binary (${fetched.join(', ')})`,
      () =>
        page.evaluate(
          async ({ wanted, paths }) => {
            const cached: string[] = [];
            for (const name of await caches.keys()) {
              for (const request of await (await caches.open(name)).keys())
                cached.push(new URL(request.url).pathname);
            }
            return (
              wanted.every((part) => cached.some((path) => path.includes(`/assets/${part}`))) &&
              paths.every((path) => cached.includes(path))
            );
          },
          { wanted: [...parts, 'tfjs-backend-wasm-threaded-simd-'], paths: fetched },
        ),
      { interval: 100 },
    );
    await reloadOffline(demo, async () => {
      await waitForModel(page, 'yours');
      await dropFiles(page, [{ name: 'mlp.keras', bytes: await kerasBytes('from-keras/mlp.keras') }]);
      expect(await loadedFrom(page, 'mlp.keras')).toBe('mlp, loaded from mlp.keras');
      const { predicted, input } = await drawDigit(page, test.image(DRAWN[2] as number));
      expect(predicted).toBe(nodeAnswer(nodeMlp, input));
      const keras = await download(page, 'download-keras');
      const back = await loadModel({ keras: keras.bytes });
      expect(weightsOf(back)).toEqual(weightsOf(nodeMlp));
      back.layersModel.dispose();
      expect((await download(page, 'download-onnx')).bytes).toEqual(await toOnnx(nodeMlp));
    });
  }, 240_000);
});
