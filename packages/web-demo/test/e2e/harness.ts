// The web demo's e2e machinery: the built site served on 127.0.0.1 with a Chromium to open it in (@mnist/test-support's
// browser site), and helpers that act like a visitor (draw with the mouse, click, read what the page shows).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digitToStrokes, type PathPoint } from '@mnist/data';
import { classify, type MnistModel, SIDE } from '@mnist/models';
import {
  type BrowserSite,
  recordPageErrors,
  type StaticServer,
  startBrowserSite,
  startStaticServer,
} from '@mnist/test-support';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
/** The package directory. */
export const packageDir = resolve(here, '../..');
/** The built site. */
export const distDir = join(packageDir, 'dist');
/** Screenshots and measurements (gitignored). */
export const outputDir = join(packageDir, 'test-output');

/** The screens the e2e tests look at the page on: a wide and a small desktop, and a touch phone at DPR 3. */
export const SCREENS = {
  desktop: { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 },
  laptop: { viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true },
} as const;

/** A fresh context on one of the {@link SCREENS} at the site (with `query`), once the default cnn is in use. */
export async function openOnScreen(
  site: BrowserSite,
  size: keyof typeof SCREENS,
  query = '',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await site.browser.newContext({ ...SCREENS[size] });
  const page = await context.newPage();
  await page.goto(`${site.server.url}${query}`);
  await waitForModel(page, 'cnn');
  return { context, page };
}

/** Builds the site if there is no build yet (the root `pnpm test` builds first; this helps a lone run). */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(join(distDir, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ root: packageDir, logLevel: 'warn' });
}

/**
 * The built site (built first if need be) served under `basePath`, with Chromium to open it in
 * (`startBrowserSite`): a test file's set-up. `browser` shares another site's Chromium.
 */
export async function startDemoSite(
  basePath: string,
  options: { headers?: Readonly<Record<string, string>>; browser?: Browser } = {},
): Promise<BrowserSite> {
  await ensureBuilt();
  return startBrowserSite({ root: distDir, basePath, ...options });
}

/** A page on the demo, with everything it requested and every console error recorded. */
export interface DemoPage {
  page: Page;
  context: BrowserContext;
  /** URLs the browser requested (page and service worker). */
  requests: string[];
  /** Console errors and uncaught exceptions (`recordPageErrors`). */
  errors: string[];
  /** Requests whose origin is not the demo server's. */
  foreignRequests(): string[];
}

/** Opens the demo in a fresh browser context (no cache, no service worker from an earlier test). */
export async function openDemo(
  browser: Browser,
  server: StaticServer,
  query = '',
  viewport = { width: 1200, height: 1000 },
): Promise<DemoPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors = recordPageErrors(page);
  context.on('request', (r) => requests.push(r.url()));
  await page.goto(`${server.url}${query}`);
  await page.getByTestId('canvas').waitFor();
  return {
    page,
    context,
    requests,
    errors,
    foreignRequests: () =>
      requests.filter(
        (u) => !u.startsWith(`${server.origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'),
      ),
  };
}

/**
 * A visitor's connection dropping once the page's service worker is ready: the browser context goes offline, the
 * page reloads (from the service worker's cache), `inside` runs, and the context comes back online whatever happens.
 */
export async function reloadOffline(
  demo: Pick<DemoPage, 'page' | 'context'>,
  inside: () => Promise<void>,
): Promise<void> {
  await demo.page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await demo.context.setOffline(true);
  try {
    await demo.page.reload();
    await inside();
  } finally {
    await demo.context.setOffline(false);
  }
}

/** Waits until the model and backend are loaded (the status shows a model name, not "loading…"). */
export async function waitForModel(page: Page, model?: string): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const text = document.querySelector('[data-testid="active-model"]')?.textContent ?? '';
      return expected ? text === expected : text !== '' && !text.includes('loading');
    },
    model,
    { timeout: 60_000 },
  );
}

/**
 * Draws strokes given in 28×28 image coordinates with real mouse events, scaled to the canvas on screen: press,
 * move through every point, release.
 */
export async function drawStrokes(page: Page, strokes: readonly (readonly PathPoint[])[]): Promise<void> {
  // The pen must land on the canvas: bring it on screen first, as a visitor would scroll to it.
  await page.getByTestId('canvas').scrollIntoViewIfNeeded();
  const box = await page.getByTestId('canvas').boundingBox();
  if (!box) throw new Error('The drawing canvas is not visible.');
  const at = (p: PathPoint) => ({
    x: box.x + (p.x / SIDE) * box.width,
    y: box.y + (p.y / SIDE) * box.height,
  });
  for (const stroke of strokes) {
    const first = stroke[0];
    if (!first) continue;
    const start = at(first);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    for (const point of stroke.slice(1)) {
      const p = at(point);
      await page.mouse.move(p.x, p.y);
    }
    await page.mouse.up();
  }
}

/** Pen strokes that redraw a 28×28 MNIST image, in its coordinates: @mnist/data's `digitToStrokes`. */
export function strokesOf(image: ArrayLike<number>): PathPoint[][] {
  return digitToStrokes(image, SIDE, SIDE);
}

/** Redraws a 28×28 MNIST image on the canvas with the mouse (`strokesOf`, `drawStrokes`). */
export function drawImage(page: Page, image: ArrayLike<number>): Promise<void> {
  return drawStrokes(page, strokesOf(image));
}

/** Clears the canvas, redraws `image`, and returns the page's prediction and the 28×28 input it classified. */
export async function drawDigit(
  page: Page,
  image: ArrayLike<number>,
): Promise<{ predicted: string | null; input: number[] }> {
  await clearCanvas(page);
  await drawImage(page, image);
  const predicted = await settledPrediction(page);
  return { predicted, input: await readPreview(page) };
}

/**
 * What the page should show for its input (bytes of the preview, as MNIST stores images) with a Node model: the
 * model's digit, or "?" when no digit stands out (the unreadable verdict).
 */
export function nodeAnswer(model: MnistModel, input: readonly number[]): string {
  const { label, verdict } = classify(model, Uint8Array.from(input));
  return verdict.kind === 'uncertain' && verdict.reason === 'unreadable' ? '?' : String(label);
}

/** Clicks Clear. */
export async function clearCanvas(page: Page): Promise<void> {
  await page.getByTestId('clear').click();
}

/**
 * Waits until the page has classified the current drawing, then returns the predicted digit, or null when the
 * page shows no prediction (an empty canvas).
 */
export async function settledPrediction(page: Page): Promise<string | null> {
  await page.waitForFunction(
    () => {
      const answer = document.querySelector('[data-testid="answer"]');
      const prediction = document.querySelector('[data-testid="prediction"]');
      const prompt = document.querySelector('[data-testid="prompt"]')?.textContent ?? '';
      return (
        answer?.getAttribute('data-pending') === 'false' && (prediction !== null || prompt.startsWith('Draw'))
      );
    },
    undefined,
    { timeout: 60_000 },
  );
  const prediction = page.getByTestId('prediction');
  return (await prediction.count()) > 0 ? ((await prediction.textContent()) ?? '') : null;
}

/**
 * The 28×28 "what the model sees" preview as 784 grey levels (0..255), read from its canvas: copied 1:1 onto a canvas
 * of the test's own made for reading (reading the page's canvas again and again would make Chromium warn in the
 * page's console that it should have been, which it need not: the page only writes it).
 */
export async function readPreview(page: Page): Promise<number[]> {
  return page.getByTestId('preview').evaluate((preview, side) => {
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D context to read the preview with');
    ctx.drawImage(preview as HTMLCanvasElement, 0, 0);
    const data = ctx.getImageData(0, 0, side, side).data;
    return Array.from({ length: side * side }, (_, i) => data[i * 4] as number);
  }, SIDE);
}

/** Saves a screenshot under test-output/ and prints its path (CI prints it in the log). */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean; testId?: string } = {},
): Promise<string> {
  await mkdir(outputDir, { recursive: true });
  const path = join(outputDir, `${name}.png`);
  if (options.testId) await page.getByTestId(options.testId).screenshot({ path });
  else await page.screenshot({ path, fullPage: options.fullPage ?? false });
  console.log(`screenshot: ${path}`);
  return path;
}

/** Serves the built site under `basePath`, with extra response headers if given (e.g. COOP/COEP). */
export function serveDist(
  basePath: string,
  headers?: Readonly<Record<string, string>>,
): Promise<StaticServer> {
  return startStaticServer({ root: distDir, basePath, ...(headers && { headers }) });
}

/** What the training form is set to before pressing Train (anything left out keeps the model's recipe). */
export interface TrainingChoice {
  model: 'simple' | 'mlp' | 'cnn';
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** One of the offered sizes: 2,000, 10,000 or 60,000. */
  images?: number;
}

/** Fills the training form through its hooks (`train-model` and the field test ids) and presses Train. */
export async function startTraining(page: Page, choice: TrainingChoice): Promise<void> {
  await page.getByTestId('train-model').locator(`input[value="${choice.model}"]`).check();
  const fields = {
    epochs: choice.epochs,
    batchSize: choice.batchSize,
    learningRate: choice.learningRate,
    seed: choice.seed,
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) await page.getByTestId(`train-${key}`).fill(String(value));
  }
  if (choice.images !== undefined) await page.getByTestId('train-images').selectOption(String(choice.images));
  await page.getByTestId('train-start').click();
}

/** Waits for the test accuracy of the finished run and returns it as shown (`NN.NN%`). */
export async function trainingResult(page: Page, timeout = 240_000): Promise<string> {
  const result = page.getByTestId('train-result');
  await result.waitFor({ timeout });
  return (await result.textContent()) ?? '';
}

/**
 * axe-core's accessibility violations on the page (or inside the element `selector` finds), one line each: rule,
 * impact, the elements. axe is injected into the page the first time.
 */
export async function axeViolations(page: Page, selector?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({
      content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'),
    });
  }
  return page.evaluate(async (within) => {
    type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run(context: Document | Element): Promise<Result> } }).axe;
    const context = within === undefined ? document : document.querySelector(within);
    if (context === null) throw new Error(`axeViolations: nothing matches ${within}`);
    const result = await axe.run(context);
    return result.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  }, selector);
}
