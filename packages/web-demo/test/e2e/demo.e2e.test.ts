// End-to-end: the built site, served by a plain static server on 127.0.0.1, in Debian's Chromium.
import { centerOfMass, type MnistSplit } from '@mnist/data';
import { SIDE } from '@mnist/models';
import { evaluate, initBackend, loadPretrained } from '@mnist/models/node';
import {
  type BrowserSite,
  correlation,
  findChromium,
  type StaticServer,
  skipUnless,
} from '@mnist/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRETRAINED } from '../../src/inference/names';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { mnistTest } from '../support/mnist';
import {
  clearCanvas,
  type DemoPage,
  drawImage,
  drawStrokes,
  openDemo,
  readPreview,
  reloadOffline,
  SCREENS,
  screenshot,
  settledPrediction,
  startDemoSite,
  strokesOf,
  waitForModel,
} from './harness';

/** The model the page starts with. */
const DEFAULT_MODEL = DEFAULT_SETTINGS.model;

/** Test images the other tests draw: a fixed, varied sample. */
const DRAWN = Array.from({ length: 20 }, (_, i) => i * 37);

/** Test images the drawing test draws with the mouse: the first of each digit in the test split, then two more. */
function drawnSample(split: MnistSplit): number[] {
  const firsts = new Map<number, number>();
  for (let i = 0; i < split.count && firsts.size < 10; i++)
    if (!firsts.has(split.label(i))) firsts.set(split.label(i), i);
  const chosen = [...firsts.values()];
  for (let i = 0; chosen.length < 12; i++) if (!chosen.includes(i)) chosen.push(i);
  return chosen;
}

/** The site under /mnist-ts/, with the Chromium every test here uses. */
let site: BrowserSite;
let test: MnistSplit;

const withoutChromium = skipUnless(findChromium());

beforeAll(async () => {
  test = await mnistTest();
  site = await startDemoSite('/mnist-ts/');
}, 300_000);

afterAll(async () => {
  await site?.close();
});

describe.skipIf(withoutChromium)('the site under a sub-path (/mnist-ts/)', () => {
  let demo: DemoPage;
  let server: StaticServer;

  beforeAll(async () => {
    server = site.server;
    demo = await openDemo(site.browser, server);
    await waitForModel(demo.page, DEFAULT_MODEL);
  }, 120_000);

  afterAll(async () => {
    await demo?.context.close();
  });

  it('loads everything from its own origin and base path, and registers its service worker', async () => {
    const scope = await demo.page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(server.url);
    expect(demo.foreignRequests()).toEqual([]);
    expect(server.notFound).toEqual([]);
    expect(server.log.some((l) => l.includes('/mnist-ts/assets/') && l.endsWith('200'))).toBe(true);
    expect(demo.errors).toEqual([]);
    await expect(demo.page.getByTestId('credits').textContent()).resolves.toMatch(
      /LeCun.*Cortes.*Burges.*CC BY-SA 3\.0/s,
    );
  }, 60_000);

  it('shows a prompt, not a guess, while the canvas is empty', async () => {
    const { page } = demo;
    expect(await settledPrediction(page)).toBeNull();
    await expect(page.getByTestId('prompt').textContent()).resolves.toMatch(/Draw a digit/);
    await drawImage(page, test.image(0));
    expect(await settledPrediction(page)).not.toBeNull();
    await clearCanvas(page);
    expect(await settledPrediction(page)).toBeNull();
    await page.getByTestId('undo').click();
    expect(await settledPrediction(page)).not.toBeNull();
    await clearCanvas(page);
    expect(await settledPrediction(page)).toBeNull();
    // A tap leaves a dot, which MNIST's scaling would blow up into a filled disc and every model read as "0" (#25).
    await drawStrokes(page, [[{ x: 14, y: 14 }]]);
    expect(await settledPrediction(page)).toBeNull();
    await expect(page.getByTestId('prompt').textContent()).resolves.toMatch(
      /a dot or a filled blob is not a digit/,
    );
    await clearCanvas(page);
  }, 120_000);

  it('reads MNIST test digits redrawn with real mouse strokes, and previews them as MNIST would', async () => {
    const { page } = demo;
    const rows: string[] = [];
    let correct = 0;
    let similar = 0;
    const drawn = drawnSample(test);
    for (const index of drawn) {
      await clearCanvas(page);
      await drawImage(page, test.image(index));
      const predicted = await settledPrediction(page);
      const preview = await readPreview(page);
      const label = String(test.label(index));
      const r = correlation(preview, test.image(index));
      const com = centerOfMass(preview, SIDE, SIDE);
      // The preview is MNIST-shaped whatever was drawn: centred by centre of mass.
      expect(
        Math.hypot((com?.x ?? 0) - SIDE / 2, (com?.y ?? 0) - SIDE / 2),
        `centre of test image ${index}`,
      ).toBeLessThan(1);
      if (predicted === label) correct++;
      if (r > 0.6) similar++;
      rows.push(`#${index} true ${label} predicted ${predicted} preview-correlation ${r.toFixed(2)}`);
      if (index === drawn[1]) await screenshot(page, 'draw-digit');
    }
    console.log(`drawn digits: ${correct}/${drawn.length} correct\n${rows.join('\n')}`);
    expect(correct).toBeGreaterThanOrEqual(Math.ceil(drawn.length * 0.8));
    expect(similar).toBeGreaterThanOrEqual(Math.ceil(drawn.length * 0.8));
  }, 600_000);

  it('switches model and backend, and says which are active', async () => {
    const { page } = demo;
    await clearCanvas(page);
    await drawImage(page, test.image(DRAWN[3] as number));
    for (const model of [...PRETRAINED.filter((m) => m !== DEFAULT_MODEL), DEFAULT_MODEL]) {
      await page
        .getByTestId('model-picker')
        .getByLabel(new RegExp(`^${model}`))
        .check();
      await waitForModel(page, model);
      expect(await settledPrediction(page)).toMatch(/^\d$/);
    }
    for (const backend of ['cpu', 'wasm', 'webgl']) {
      await page
        .getByTestId('backend-picker')
        .getByLabel(new RegExp(`^${backend}`))
        .check();
      await page.getByTestId('active-backend').filter({ hasText: backend }).waitFor({ timeout: 60_000 });
      await waitForModel(page, DEFAULT_MODEL);
      expect(await settledPrediction(page)).toMatch(/^\d$/);
      await expect(page.getByTestId('inference-time').textContent()).resolves.toMatch(/ms$/);
      if (backend === 'wasm') await screenshot(page, 'backend-wasm');
    }
    expect(demo.foreignRequests()).toEqual([]);
  }, 300_000);

  it('can be drawn with the keyboard alone', async () => {
    const { page } = demo;
    await clearCanvas(page);
    await page.getByTestId('canvas').focus();
    await page.keyboard.press('Shift+ArrowUp');
    await page.keyboard.press('Shift+ArrowUp');
    await page.keyboard.press('Space');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Space');
    expect(await settledPrediction(page)).toBe('1');
    await page.keyboard.press('Escape');
    expect(await settledPrediction(page)).toBeNull();
  }, 120_000);

  it('keeps working offline once loaded (service worker)', async () => {
    const { page } = demo;
    await reloadOffline(demo, async () => {
      await waitForModel(page, DEFAULT_MODEL);
      await drawImage(page, test.image(DRAWN[5] as number));
      expect(await settledPrediction(page)).toBe(String(test.label(DRAWN[5] as number)));
      // The test images were never fetched here: the explorer says so in plain words, not with a fetch error.
      await page.getByTestId('evaluate').click();
      const alert = page.getByTestId('explorer').getByRole('alert');
      await alert.waitFor();
      const text = (await alert.textContent()) ?? '';
      // The wording follows navigator.onLine, which Chromium's emulated offline state (unlike a real one) does not
      // always reach in a document reloaded while offline (run alone, this test never saw it; in the whole suite it
      // mostly did, and failed CI once on that).
      // Either way the failure is said in plain words with what to do; data/failures.test.ts checks both wordings.
      const online = await page.evaluate(() => navigator.onLine);
      expect(text).toMatch(
        online
          ? /^The test images could not be downloaded: the connection failed or was cut\. Check that you are online and press Evaluate to try again\.$/
          : /^You are offline, and the test images have not been downloaded yet.*Connect to the internet and press Evaluate again\.$/,
      );
      expect(text).not.toMatch(/Failed to fetch|https?:|TypeError/);
    });
  }, 180_000);
});

describe.skipIf(withoutChromium)('the site at the root (/)', () => {
  let atRoot: BrowserSite;
  let server: StaticServer;

  beforeAll(async () => {
    atRoot = await startDemoSite('/', { browser: site.browser });
    server = atRoot.server;
  });

  afterAll(async () => {
    await atRoot?.close();
  });

  it('evaluates the model on test images: accuracy, heatmap, a clicked cell shows its images', async () => {
    const n = 500;
    const demo = await openDemo(site.browser, server, `?n=${n}`);
    try {
      const { page } = demo;
      await waitForModel(page, DEFAULT_MODEL);
      await page.getByTestId('evaluate').click();
      await page.getByTestId('progress').waitFor();
      await page.getByTestId('results').waitFor({ timeout: 240_000 });
      const accuracy = Number(await page.getByTestId('accuracy').getAttribute('data-value'));
      const cells = await page
        .getByTestId('heatmap')
        .locator('button')
        .evaluateAll((buttons) => buttons.map((b) => Number(b.getAttribute('data-count'))));
      expect(cells).toHaveLength(100);
      expect(cells.reduce((a, b) => a + b, 0)).toBe(n);
      const diagonal = cells.filter((_, i) => Math.floor(i / 10) === i % 10).reduce((a, b) => a + b, 0);
      expect(diagonal / n).toBeCloseTo(accuracy, 10);
      expect(accuracy).toBeGreaterThan(0.97);
      // Rows are the true labels: their sums are the label counts of the first n test images.
      const truth = Array.from(
        { length: 10 },
        (_, d) => test.labels.subarray(0, n).filter((l) => l === d).length,
      );
      expect(
        Array.from({ length: 10 }, (_, t) => cells.slice(t * 10, t * 10 + 10).reduce((a, b) => a + b, 0)),
      ).toEqual(truth);
      expect(await page.getByTestId('class-report').locator('tbody tr').count()).toBe(10);

      // Click the biggest mistake (or, with none, the 7s): the grid shows exactly those images.
      let cell = cells.findIndex(
        (c, i) =>
          Math.floor(i / 10) !== i % 10 &&
          c === Math.max(...cells.filter((_, j) => Math.floor(j / 10) !== j % 10)) &&
          c > 0,
      );
      if (cell < 0) cell = 77;
      const t = Math.floor(cell / 10);
      const p = cell % 10;
      await page.getByTestId(`cell-${t}-${p}`).click();
      const grid = page.getByTestId('image-grid');
      await expect(grid.locator('h3').textContent()).resolves.toContain(`True ${t}, predicted ${p}`);
      expect(await grid.locator('li').count()).toBe(Math.min(40, cells[cell] as number));
      const first = Number(await grid.locator('li').first().getAttribute('data-index'));
      expect(test.label(first)).toBe(t);
      await screenshot(page, 'explorer', { fullPage: true });
      expect(demo.foreignRequests()).toEqual([]);
      expect(server.notFound).toEqual([]);
    } finally {
      await demo.context.close();
    }
  }, 300_000);

  it('gives the same answers as @mnist/models in Node: simple on all 10,000 test images, every backend, isolated or not', async () => {
    // The page and `mnist evaluate` once disagreed on two images (92.57% against 92.59%): the same model and
    // images must give the same confusion matrix everywhere.
    await initBackend('wasm', { log: false });
    const simple = await loadPretrained('simple');
    const inNode = new Array<number>(100).fill(0);
    const { predictions } = await evaluate(simple, test);
    simple.layersModel.dispose();
    for (let i = 0; i < test.count; i++) {
      const cell = test.label(i) * 10 + (predictions[i] as number);
      inNode[cell] = (inNode[cell] as number) + 1;
    }
    for (const [backend, isolated] of [
      ['wasm', false],
      ['wasm', true],
      ['cpu', false],
      ['webgl', false],
    ] as const) {
      const demo = await openDemo(site.browser, server, `?model=simple&backend=${backend}&n=${test.count}`);
      try {
        const { page } = demo;
        if (isolated) {
          // The service worker makes the page cross-origin isolated from its second load on (tfjs's threaded wasm).
          await page.evaluate(async () => navigator.serviceWorker.ready);
          await page.reload();
          await page.getByTestId('canvas').waitFor();
        }
        await waitForModel(page, 'simple');
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
        await page.getByTestId('evaluate').click();
        await page.getByTestId('results').waitFor({ timeout: 120_000 });
        const cells = await page
          .getByTestId('heatmap')
          .locator('button')
          .evaluateAll((buttons) => buttons.map((b) => Number(b.getAttribute('data-count'))));
        expect(cells, `${backend}${isolated ? ', isolated' : ''}`).toEqual(inNode);
      } finally {
        await demo.context.close();
      }
    }
  }, 300_000);

  it('is usable on a phone: touch drawing at devicePixelRatio 3, no sideways scrolling', async () => {
    const context = await site.browser.newContext({ ...SCREENS.phone });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}?n=100`);
      await waitForModel(page, DEFAULT_MODEL);
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      const canvas = page.getByTestId('canvas');
      const backing = await canvas.evaluate((c) => [
        (c as HTMLCanvasElement).width,
        c.getBoundingClientRect().width,
      ]);
      expect(backing[0]).toBe(Math.round((backing[1] as number) * 3));
      // Real touch events through Chromium's input pipeline.
      const box = await canvas.boundingBox();
      if (!box) throw new Error('canvas not visible');
      const cdp = await context.newCDPSession(page);
      const index = DRAWN[12] as number;
      for (const stroke of strokesOf(test.image(index))) {
        const points = stroke.map((q) => ({
          x: box.x + (q.x / SIDE) * box.width,
          y: box.y + (q.y / SIDE) * box.height,
        }));
        await cdp.send('Input.dispatchTouchEvent', {
          type: 'touchStart',
          touchPoints: [points[0] as { x: number; y: number }],
        });
        for (const point of points.slice(1)) {
          await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point] });
        }
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      }
      expect(await settledPrediction(page)).toBe(String(test.label(index)));
      await screenshot(page, 'phone');
      // The explorer's heatmap and report fit too.
      await page.getByTestId('evaluate').click();
      await page.getByTestId('results').waitFor({ timeout: 120_000 });
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.getByTestId('heatmap').scrollIntoViewIfNeeded();
      await screenshot(page, 'phone-explorer');
    } finally {
      await context.close();
    }
  }, 180_000);
});
