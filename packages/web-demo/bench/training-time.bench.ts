// Benchmark (not a test suite): the tutorial's mlp (5 epochs, batch 32, all 60,000 images) trained from the page's
// own training view in headless Chromium, in its worker, next to @mnist/models' train() in Node in the same run.
// Also the main thread's longest task while the page trains (PerformanceObserver `longtask`), and the page with
// and without cross-origin isolation (threads). Figures are printed and saved to test-output/training-times.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@mnist/data';
import { backendInfo, createModel, evaluate, initBackend, recipeFor, train } from '@mnist/models/node';
import { CROSS_ORIGIN_ISOLATION, findChromium, launchChromium, skipUnless } from '@mnist/test-support';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  type TrainingChoice,
  outputDir,
  serveDist,
  startTraining,
  trainingResult,
  waitForModel,
} from '../test/e2e/harness';
import { mnistDir } from '../test/support/mnist';

const MODEL = 'mlp' as const;
const IMAGES = 60000;

interface Run {
  label: string;
  secondsPerEpoch: number[];
  samplesPerSecond: number[];
  longestTaskMs?: number;
  longTasks?: number;
  runtime?: string;
  testAccuracy?: string;
}

let browser: Browser;

/** Chromium is a system requirement: without it these tests are skipped, saying why (CI requires it). */
const withoutChromium = skipUnless(findChromium());

beforeAll(async () => {
  await ensureBuilt();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

/** Trains a model from the page's training view and reads the epoch rows it shows. */
async function inPage(
  label: string,
  isolated: boolean,
  choice: TrainingChoice = { model: MODEL, images: IMAGES },
): Promise<Run> {
  const server = await serveDist('/', isolated ? CROSS_ORIGIN_ISOLATION : undefined);
  // No service worker: each run fetches the data over loopback, and the page is isolated only by the headers.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'block',
  });
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForModel(page, 'cnn');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
    // Every main-thread task over 50 ms from now on (the page's own loading is over).
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    await startTraining(page, choice);
    const testAccuracy = await trainingResult(page, 1_800_000);
    const rows = await page
      .getByTestId('train-epoch')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
      );
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    const samplesPerSecond = rows.map((r) => Number((r[3] ?? '').replace(/,/g, '')));
    const images = choice.images;
    if (images === undefined) throw new Error('inPage: say how many images to train on');
    return {
      label,
      // The rows show seconds to 0.1 s (±5% of a 1-second epoch) and samples/s to the sample, which train()
      // computes as images / seconds: the seconds are taken back from that.
      secondsPerEpoch: samplesPerSecond.map((rate) => images / rate),
      samplesPerSecond,
      longestTaskMs: Math.max(0, ...longTasks),
      longTasks: longTasks.length,
      runtime: (await page.getByTestId('train-runtime').textContent()) ?? '',
      testAccuracy,
    };
  } finally {
    await context.close();
    await server.close();
  }
}

/** The same training with @mnist/models' train() in this Node process. */
async function inNode(backend: 'auto' | 'wasm'): Promise<Run> {
  const name = await initBackend(backend, { log: false });
  const data = await loadMnist({ dir: await mnistDir(), download: false });
  const recipe = recipeFor(MODEL);
  const model = createModel(MODEL, { seed: 42 });
  const secondsPerEpoch: number[] = [];
  const samplesPerSecond: number[] = [];
  let testAccuracy: string;
  try {
    await train(model, data.train.subset(0, IMAGES), {
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      seed: 42,
      onEpochEnd: (log) => {
        secondsPerEpoch.push(log.seconds);
        samplesPerSecond.push(log.samplesPerSecond);
      },
    });
    testAccuracy = `${((await evaluate(model, data.test)).accuracy * 100).toFixed(2)}%`;
  } finally {
    model.layersModel.dispose();
  }
  return {
    label: `Node train() on ${name}${backendInfo()?.simd ? ' (SIMD)' : ''}`,
    secondsPerEpoch,
    samplesPerSecond,
    testAccuracy,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

describe.skipIf(withoutChromium)('training time', () => {
  it('trains the tutorial mlp in the page’s worker and in Node, in one run', async () => {
    const load = loadavg()[0] ?? 0;
    // Node on wasm, the browser's engine; and Node's default backend (tfjs-node where it installs) when different.
    const node = await inNode('wasm');
    const nodeDefault = (await initBackend('auto', { log: false })) === 'wasm' ? [] : [await inNode('auto')];
    const page = await inPage('Chromium worker, page not isolated', false);
    const isolated = await inPage('Chromium worker, page cross-origin isolated', true);
    const runs = [node, ...nodeDefault, page, isolated];
    const reference = mean(node.secondsPerEpoch.slice(1));
    const lines = [
      `tutorial ${MODEL}: ${IMAGES.toLocaleString('en-US')} images, batch 32, 5 epochs; Chromium ${browser.version()}, ` +
        `${cpus().length} cores, load average ${load.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end`,
    ];
    for (const r of runs) {
      // The first epoch includes warm-up (wasm compilation, first allocations): the ratio uses epochs 2–5.
      const steady = mean(r.secondsPerEpoch.slice(1));
      lines.push(
        `  ${r.label.padEnd(46)} s/epoch ${r.secondsPerEpoch.map((s) => s.toFixed(2)).join(' ')}  ` +
          `(${(steady / reference).toFixed(2)}× Node)` +
          (r.longestTaskMs !== undefined
            ? `  longest main-thread task ${r.longestTaskMs.toFixed(0)} ms (${r.longTasks} over 50 ms)`
            : '') +
          (r.testAccuracy ? `  test ${r.testAccuracy}` : ''),
      );
      expect(r.secondsPerEpoch).toHaveLength(5);
    }
    await mkdir(outputDir, { recursive: true });
    const path = join(outputDir, 'training-times.json');
    await writeFile(
      path,
      `${JSON.stringify({ chromium: browser.version(), date: new Date().toISOString(), loadAverage: load, loadAverageAtEnd: loadavg()[0], runs }, null, 2)}\n`,
    );
    console.log(`${lines.join('\n')}\nsaved: ${path}`);
  }, 3_600_000);

  it('trains the cnn in the page with and without cross-origin isolation (the engine’s threads)', async () => {
    const load = loadavg()[0] ?? 0;
    const cnn: TrainingChoice = { model: 'cnn', epochs: 2, images: 10000 };
    const plain = await inPage('cnn, page not isolated', false, cnn);
    const isolated = await inPage('cnn, page cross-origin isolated', true, cnn);
    const lines = [`cnn: 10,000 images, 2 epochs, its recipe; load average ${load.toFixed(1)} at the start`];
    for (const r of [plain, isolated]) {
      const ratio = mean(r.secondsPerEpoch.slice(1)) / mean(plain.secondsPerEpoch.slice(1));
      lines.push(
        `  ${r.label.padEnd(34)} s/epoch ${r.secondsPerEpoch.map((s) => s.toFixed(1)).join(' ')}  ` +
          `(${ratio.toFixed(2)}× not isolated)  longest main-thread task ${r.longestTaskMs?.toFixed(0)} ms  ` +
          `${r.runtime}  test ${r.testAccuracy}`,
      );
      expect(r.secondsPerEpoch).toHaveLength(2);
    }
    await mkdir(outputDir, { recursive: true });
    const path = join(outputDir, 'training-times-cnn.json');
    const body = { date: new Date().toISOString(), loadAverage: load, runs: [plain, isolated] };
    await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
    console.log(`${lines.join('\n')}\nsaved: ${path}`);
  }, 3_600_000);
});
