// End-to-end: training in the page (issue 11), in Debian's Chromium against the built site on 127.0.0.1. The
// model trained in the page's worker is checked against @mnist/models' train() in Node with the same data, seed
// and backend; models move out of the page (download → loadModel, `mnist evaluate`) and in (`mnist train --save`).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { loadMnist, type MnistData } from '@mnist/data';
import {
  createModel,
  evaluate,
  initBackend,
  loadModel,
  type MnistModel,
  MODEL_JSON,
  train,
  WEIGHTS_BIN,
} from '@mnist/models/node';
import { type BrowserSite, findChromium, recordPageErrors, skipUnless } from '@mnist/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistDir } from '../support/mnist';
import {
  type DemoPage,
  drawDigit,
  drawImage,
  nodeAnswer,
  openDemo,
  reloadOffline,
  SCREENS,
  screenshot,
  settledPrediction,
  startDemoSite,
  startTraining,
  trainingResult,
  waitForModel,
} from './harness';

const run = promisify(execFile);

/** The subset trained in the page and in Node: small enough to take seconds, big enough to learn something. */
const SUBSET = { model: 'simple', epochs: 2, images: 2000 } as const;
/** The recipe's defaults the form starts with (the tutorial's): the Node run uses the same. */
const RECIPE = { batchSize: 32, learningRate: 0.001, seed: 42 };

/** Test images drawn with the mouse on the trained model. */
const DRAWN = [0, 37, 74];

let site: BrowserSite;
let data: MnistData;
let work: string;
let reference: MnistModel;
let referenceAccuracy: number;

/** `mnist` from @mnist/cli (a dev dependency, built before the tests run). */
function cliPath(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@mnist/cli/package.json');
  return join(dirname(manifest), 'dist', 'cli.js');
}

async function mnist(...args: string[]): Promise<string> {
  const dataDir = await mnistDir();
  const { stdout } = await run(process.execPath, [cliPath(), ...args, '--data-dir', dataDir, '--offline'], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: 240_000,
  });
  return stdout;
}

/** The page's percentage back as a fraction. */
const fraction = (text: string) => Number(text.replace('%', '')) / 100;

/** Chromium is a system requirement: without it these tests are skipped, saying why (CI requires it). */
const withoutChromium = skipUnless(findChromium());

beforeAll(async () => {
  data = await loadMnist({ dir: await mnistDir(), download: false });
  work = await mkdtemp(join(tmpdir(), 'web-demo-training-e2e-'));
  // The reference: @mnist/models' train() in Node on the same subset, seed, recipe and backend (wasm).
  await initBackend('wasm', { log: false });
  reference = createModel(SUBSET.model, { seed: RECIPE.seed });
  await train(reference, data.train.subset(0, SUBSET.images), { epochs: SUBSET.epochs, ...RECIPE });
  referenceAccuracy = (await evaluate(reference, data.test)).accuracy;
  site = await startDemoSite('/mnist-ts/');
}, 300_000);

afterAll(async () => {
  await site?.close();
  reference?.layersModel.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(withoutChromium)('training in the page, in a worker', () => {
  let demo: DemoPage;

  beforeAll(async () => {
    demo = await openDemo(site.browser, site.server);
    await waitForModel(demo.page, 'cnn');
  }, 120_000);

  afterAll(async () => {
    expect(demo.foreignRequests()).toEqual([]);
    expect(demo.errors).toEqual([]);
    await demo?.context.close();
  });

  it('trains simple on 2,000 images: one row per epoch, test accuracy equal to train() in Node', async () => {
    const { page } = demo;
    await startTraining(page, SUBSET);
    await page.getByTestId('progress').waitFor();
    const accuracy = await trainingResult(page);
    const rows = page.getByTestId('train-epoch');
    expect(await rows.count()).toBe(SUBSET.epochs);
    const first = (await rows.first().locator('td').allTextContents()).map((t) => t.trim());
    // loss, accuracy, seconds, samples/s
    expect(first).toHaveLength(4);
    expect(Number(first[0])).toBeGreaterThan(0);
    expect(first[1]).toMatch(/^\d+\.\d\d%$/);
    expect(Number((first[3] ?? '').replace(/,/g, ''))).toBeGreaterThan(0);
    expect(accuracy).toMatch(/^\d\d\.\d\d%$/);
    expect(accuracy).toBe(`${(referenceAccuracy * 100).toFixed(2)}%`);
    // simple's steps ran in @mnist/models' WebAssembly engine, as in Node: on the cores (at most 4) where the page is
    // cross-origin isolated, else on one thread; the same bits either way.
    const { isolated, cores } = await page.evaluate(() => ({
      isolated: crossOriginIsolated,
      cores: Math.min(4, navigator.hardwareConcurrency),
    }));
    await expect(page.getByTestId('train-runtime').textContent()).resolves.toBe(
      isolated && cores > 1
        ? `Trained by the WebAssembly engine of @mnist/models on ${cores} threads.`
        : 'Trained by the WebAssembly engine of @mnist/models on 1 thread.',
    );
    // Every row of the per-class table and the heatmap are @mnist/metrics' numbers for the test predictions.
    const cells = await page
      .getByTestId('train-results')
      .getByTestId('heatmap')
      .locator('[data-count]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
    expect(cells.reduce((a, b) => a + b, 0)).toBe(10000);
    expect(
      cells.filter((_, i) => Math.floor(i / 10) === i % 10).reduce((a, b) => a + b, 0) / 10000,
    ).toBeCloseTo(fraction(accuracy), 4);
    await screenshot(page, 'training-done', { fullPage: true });
  }, 300_000);

  it('switches the canvas to the trained model, which reads drawings as Node’s model does', async () => {
    const { page } = demo;
    await page.getByTestId('use-trained').click();
    await waitForModel(page, 'yours');
    for (const index of DRAWN) {
      const { predicted, input } = await drawDigit(page, data.test.image(index));
      expect(predicted, `test image ${index}`).toBe(nodeAnswer(reference, input));
    }
  }, 120_000);

  it('finds the model again after a reload (IndexedDB), still in use (the choice is kept)', async () => {
    const { page } = demo;
    await page.reload();
    await waitForModel(page, 'yours');
    expect(page.url()).toContain('model=yours');
    await expect(page.getByTestId('your-model-description').textContent()).resolves.toMatch(
      /simple trained here on 2,000 images, 2 epochs · \d\d\.\d\d% on the test set/,
    );
    const { predicted, input } = await drawDigit(page, data.test.image(DRAWN[1] as number));
    expect(predicted).toBe(nodeAnswer(reference, input));
  }, 120_000);

  it('downloads model.json + weights.bin that loadModel and `mnist evaluate --model DIR` read', async () => {
    const { page } = demo;
    const dir = join(work, 'downloaded');
    const saved: string[] = [];
    const downloads = new Promise<void>((resolve) => {
      page.on('download', async (download) => {
        const name = download.suggestedFilename();
        await download.saveAs(join(dir, name));
        saved.push(name);
        if (saved.length === 2) resolve();
      });
    });
    await page.getByTestId('download-model').click();
    await downloads;
    expect(saved.sort()).toEqual([MODEL_JSON, WEIGHTS_BIN].sort());
    const model = await loadModel(dir);
    expect((await evaluate(model, data.test)).accuracy).toBe(referenceAccuracy);
    model.layersModel.dispose();
    const events = (await mnist('evaluate', '--model', dir, '--json', '--backend', 'wasm'))
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; accuracy?: number });
    const result = events.find((e) => e.accuracy !== undefined);
    expect(result?.accuracy).toBe(referenceAccuracy);
  }, 300_000);

  it('stops between two batches, evaluates what was learned, and draws with the partial model', async () => {
    const { page } = demo;
    // The cnn: an epoch of 10,000 images takes tens of seconds here, so Stop lands inside epoch 1 (the mlp can
    // finish all three epochs in about a second, before the page has been seen in epoch 1).
    await startTraining(page, { model: 'cnn', epochs: 3, images: 10000 });
    // Stop once training proper is under way (the progress bar counts samples).
    await page.getByText(/Epoch 1 of 3/).waitFor({ timeout: 120_000 });
    await page.getByTestId('train-stop').click();
    await trainingResult(page);
    await expect(page.getByTestId('train-results').textContent()).resolves.toMatch(
      /stopped after [\d,]+ samples/,
    );
    expect(await page.getByTestId('train-epoch').count()).toBeLessThan(3);
    await expect(page.getByTestId('your-model-description').textContent()).resolves.toMatch(/stopped early/);
    // The canvas was already on "yours": the new model replaced the old one there.
    await waitForModel(page, 'yours');
    const { predicted } = await drawDigit(page, data.test.image(DRAWN[2] as number));
    // The page answers with the partial model: a digit, or "?" when a model stopped this early reads nothing yet
    // (a flat output, @mnist/models' unreadable verdict).
    expect(predicted).toMatch(/^(\d|\?)$/);
  }, 300_000);

  it('loads a model saved by `mnist train --save DIR` (picker and drop); wrong files get a plain message', async () => {
    const { page } = demo;
    const dir = join(work, 'cli-model');
    await mnist(
      'train',
      '--model',
      'simple',
      '--epochs',
      '1',
      '--limit',
      '1000',
      '--seed',
      '5',
      '--save',
      dir,
      '--json',
    );
    const cliModel = await loadModel(dir);
    try {
      // Wrong files: a lone weights file, then something that is not a model at all.
      const input = page.getByTestId('model-files');
      await input.setInputFiles(join(dir, WEIGHTS_BIN));
      await expect(page.getByTestId('model-load-error').textContent()).resolves.toMatch(/No model\.json/);
      await input.setInputFiles({
        name: MODEL_JSON,
        mimeType: 'application/json',
        buffer: Buffer.from('<html>'),
      });
      await expect(page.getByTestId('model-load-error').textContent()).resolves.toMatch(/is not JSON/);
      // The page still works, with the model it had (the partial cnn above: a digit, or "?" when it reads nothing).
      expect(await drawDigit(page, data.test.image(DRAWN[0] as number)).then((r) => r.predicted)).toMatch(
        /^(\d|\?)$/,
      );

      await input.setInputFiles([join(dir, MODEL_JSON), join(dir, WEIGHTS_BIN)]);
      await page
        .getByTestId('your-model-description')
        .filter({ hasText: 'loaded from model.json' })
        .waitFor();
      await waitForModel(page, 'yours');
      const picked = await drawDigit(page, data.test.image(DRAWN[1] as number));
      expect(picked.predicted).toBe(nodeAnswer(cliModel, picked.input));

      // Drag and drop: the same two files dropped on the drop zone.
      await page.getByTestId('forget-model').click();
      await waitForModel(page, 'cnn');
      const files = [
        { name: MODEL_JSON, bytes: [...(await readFile(join(dir, MODEL_JSON)))] },
        { name: WEIGHTS_BIN, bytes: [...(await readFile(join(dir, WEIGHTS_BIN)))] },
      ];
      const transfer = await page.evaluateHandle((list) => {
        const dt = new DataTransfer();
        for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
        return dt;
      }, files);
      await page.getByTestId('model-drop').dispatchEvent('drop', { dataTransfer: transfer });
      await page
        .getByTestId('your-model-description')
        .filter({ hasText: 'loaded from model.json' })
        .waitFor();
      await waitForModel(page, 'yours');
      const dropped = await drawDigit(page, data.test.image(DRAWN[2] as number));
      expect(dropped.predicted).toBe(nodeAnswer(cliModel, dropped.input));
    } finally {
      cliModel.layersModel.dispose();
    }
  }, 300_000);

  it('is cross-origin isolated by its own service worker from the next load: training runs on several threads', async () => {
    const { page } = demo;
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // The next load, asking for two training threads (the cnn takes the cores by default, as the Node tests check;
    // the mlp here keeps the run short: its evaluation of the 10,000 test images is what the cnn's would cost most).
    await page.goto(`${site.server.url}?threads=2`);
    await page.getByTestId('train-start').waitFor();
    // The static server sends no COOP/COEP: the isolation comes from the service worker's responses.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await startTraining(page, { model: 'mlp', epochs: 1, images: 2000 });
    expect(await trainingResult(page)).toMatch(/^\d\d\.\d\d%$/);
    await expect(page.getByTestId('train-runtime').textContent()).resolves.toBe(
      'Trained by the WebAssembly engine of @mnist/models on 2 threads.',
    );
  }, 300_000);

  it('trains offline once the data has been fetched (the service worker keeps it)', async () => {
    const { page } = demo;
    await reloadOffline(demo, async () => {
      await page.getByTestId('train-start').waitFor();
      await startTraining(page, { model: 'simple', epochs: 1, images: 2000 });
      expect(await trainingResult(page)).toMatch(/^\d\d\.\d\d%$/);
    });
  }, 240_000);
});

describe.skipIf(withoutChromium)('failures a visitor can hit', () => {
  it('a cut download says so and Train tries again; a crashed worker leaves the page working', async () => {
    // No service worker here, so the page's own requests can be cut (a service worker would answer from its cache).
    const context = await site.browser.newContext({
      viewport: { width: 1280, height: 900 },
      serviceWorkers: 'block',
    });
    try {
      let cut = true;
      await context.route('**/data/mnist/train-images-idx3-ubyte.gz', (route) => {
        if (!cut) return route.continue();
        cut = false;
        return route.abort('connectionreset');
      });
      const page = await context.newPage();
      const errors = recordPageErrors(page, { console: [] });
      await page.goto(site.server.url);
      await waitForModel(page, 'cnn');
      await startTraining(page, { model: 'simple', epochs: 1, images: 2000 });
      const alert = page.getByRole('alert').filter({ hasText: /could not be downloaded/ });
      await alert.waitFor({ timeout: 120_000 });
      await expect(alert.textContent()).resolves.toMatch(
        /connection failed or was cut.*press Train to try again/i,
      );
      await expect(page.getByTestId('train-start').textContent()).resolves.toBe('Train again');
      await page.getByTestId('train-start').click();
      expect(await trainingResult(page)).toMatch(/^\d\d\.\d\d%$/);

      // The worker dies (its script fails, as an out-of-memory kill would end it): the page says so and carries on.
      await page.reload();
      await waitForModel(page, 'cnn');
      await context.route('**/assets/training-worker-*.js', (route) =>
        route.fulfill({ contentType: 'text/javascript', body: 'throw new Error("simulated crash");' }),
      );
      await startTraining(page, { model: 'simple', epochs: 1, images: 2000 });
      await page
        .getByRole('alert')
        .filter({ hasText: /training worker stopped unexpectedly/ })
        .waitFor();
      await drawImage(page, data.test.image(0));
      expect(await settledPrediction(page)).toBe(String(data.test.label(0)));
      await context.unroute('**/assets/training-worker-*.js');
      await page.getByTestId('train-start').click();
      expect(await trainingResult(page)).toMatch(/^\d\d\.\d\d%$/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);

  it('trains on a phone-sized touch screen (390×844)', async () => {
    const context = await site.browser.newContext({ ...SCREENS.phone });
    try {
      const page = await context.newPage();
      await page.goto(site.server.url);
      await waitForModel(page, 'cnn');
      await page
        .getByTestId('train-model')
        .locator('label', { hasText: /^simple$/ })
        .tap();
      await page.getByTestId('train-epochs').fill('1');
      await page.getByTestId('train-images').selectOption('2000');
      await page.getByTestId('train-start').tap();
      expect(await trainingResult(page)).toMatch(/^\d\d\.\d\d%$/);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // The epochs table fits its box on the narrowest screen (nothing to scroll sideways to).
      const epochs = await page.getByTestId('train-epoch-table').evaluate((table) => {
        const box = table.parentElement as HTMLElement;
        return box.scrollWidth - box.clientWidth;
      });
      expect(epochs).toBeLessThanOrEqual(0);
      await page.getByTestId('use-trained').tap();
      await waitForModel(page, 'yours');
      await page.getByTestId('training').scrollIntoViewIfNeeded();
      await screenshot(page, 'phone-training');
    } finally {
      await context.close();
    }
  }, 300_000);
});
