// Measures the time per classification that the page shows, for every backend and model, in Chromium here.
// A measurement, not a timing assertion: the figures are printed and saved to test-output/inference-times.json,
// with each backend's ratio to the cpu backend measured in the same run.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PathPoint } from '@mnist/data';
import { type BrowserSite, findChromium, skipUnless } from '@mnist/test-support';
import { MODEL_NAMES } from '@mnist/models';
import { mnistTest } from '../test/support/mnist';
import {
  clearCanvas,
  drawStrokes,
  openDemo,
  outputDir,
  settledPrediction,
  startDemoSite,
  strokesOf,
  waitForModel,
} from '../test/e2e/harness';

const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
const MODELS = MODEL_NAMES;

/** Parses the page's "0.42 ms" / "3.1 ms" / "120 ms". */
function parseMs(text: string | null): number {
  const match = /([\d.]+) ms/.exec(text ?? '');
  return match ? Number(match[1]) : Number.NaN;
}

let site: BrowserSite;
let strokes: PathPoint[][];

beforeAll(async () => {
  const test = await mnistTest();
  strokes = strokesOf(test.image(74));
  site = await startDemoSite('/');
}, 300_000);

afterAll(async () => {
  await site?.close();
});

describe.skipIf(skipUnless(findChromium()))('inference time', () => {
  it('is measured per backend and model as the page reports it', async () => {
    const { browser, server } = site;
    const demo = await openDemo(browser, server);
    const ms: Record<string, Record<string, { medianMs: number; calls: number }>> = {};
    try {
      const { page } = demo;
      for (const backend of BACKENDS) {
        await page
          .getByTestId('backend-picker')
          .getByLabel(new RegExp(`^${backend}`))
          .check();
        await page.getByTestId('active-backend').filter({ hasText: backend }).waitFor({ timeout: 60_000 });
        for (const model of MODELS) {
          await page
            .getByTestId('model-picker')
            .getByLabel(new RegExp(`^${model}`))
            .check();
          await waitForModel(page, model);
          await clearCanvas(page);
          // Every frame of a stroke is one classification: one digit gives dozens of timed calls.
          await drawStrokes(page, strokes);
          await settledPrediction(page);
          const time = page.getByTestId('inference-time');
          ms[backend] ??= {};
          (ms[backend] as Record<string, { medianMs: number; calls: number }>)[model] = {
            medianMs: parseMs(await time.textContent()),
            calls: Number(await time.getAttribute('data-count')),
          };
        }
      }
    } finally {
      await demo.context.close();
    }
    const lines = [`time per classification, median (Chromium ${browser.version()}):`];
    const ratios: Record<string, Record<string, number>> = {};
    for (const backend of BACKENDS) {
      for (const model of MODELS) {
        const m = ms[backend]?.[model];
        const cpu = ms.cpu?.[model];
        expect(m?.medianMs, `${backend}/${model}`).toBeGreaterThan(0);
        const ratio = (cpu?.medianMs ?? Number.NaN) / (m?.medianMs ?? Number.NaN);
        ratios[backend] ??= {};
        (ratios[backend] as Record<string, number>)[model] = ratio;
        lines.push(
          `  ${backend.padEnd(6)} ${model.padEnd(7)} ${String(m?.medianMs).padStart(7)} ms  (${m?.calls} calls, ${ratio.toFixed(2)}x cpu's speed)`,
        );
      }
    }
    await mkdir(outputDir, { recursive: true });
    const path = join(outputDir, 'inference-times.json');
    await writeFile(
      path,
      `${JSON.stringify({ chromium: browser.version(), date: new Date().toISOString(), ms, speedupOverCpu: ratios }, null, 2)}\n`,
    );
    console.log(`${lines.join('\n')}\nsaved: ${path}`);
  }, 900_000);
});
