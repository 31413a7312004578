// The browser entry in a real Chromium: bundled for the browser platform (which fails on any Node built-in), served
// from 127.0.0.1 with the real .gz files, loaded with fetch + DecompressionStream + WebCrypto.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BrowserSite,
  bundleForBrowser,
  findChromium,
  modulePage,
  skipUnless,
  startBrowserSite,
} from '@mnist/test-support';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, FILE_ROLES } from '../src/node.js';
import { MNIST_FACTS, mnistGzDir } from './helpers.js';

let site: BrowserSite;
const files = new Map<string, string | Buffer>();

/** Data files the page was served, in order (from the server's request log). */
function requested(): string[] {
  return site.server.log
    .filter((line) => / \/data\/\S+ -> 200$/.test(line))
    .map((line) => line.split(' ')[1] as string);
}

beforeAll(async () => {
  const bundle = await bundleForBrowser(fileURLToPath(new URL('../src/browser.ts', import.meta.url)), {
    path: '/mnist-data.js',
  });
  for (const role of FILE_ROLES) {
    const name = `${DATASETS.mnist.files[role]}.gz`;
    files.set(`/data/${name}`, await readFile(join(mnistGzDir(), name)));
  }
  files.set('/', modulePage({ mnist: '/mnist-data.js' }));
  files.set('/mnist-data.js', bundle.code);
  site = await startBrowserSite({ files });
}, 60_000);

afterAll(async () => {
  await site?.close();
});

const openPage = (): Promise<Page> => site.openModulePage();

interface Summary {
  source: { kind: string; location: string };
  train: number[];
  test: number[];
  first: [number, number];
  isBytes: boolean;
  progressEnds: boolean;
}

// Runs in the page: `window.mnist` is the bundled browser entry.
async function summarise(page: Page): Promise<Summary> {
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the page global set by the bundle
    const mnist = (window as any).mnist;
    const last = new Map<string, { bytesDone: number; bytesTotal?: number }>();
    const data = await mnist.loadMnist({
      baseUrl: 'data/',
      onProgress: (e: { file: string; bytesDone: number; bytesTotal?: number }) => last.set(e.file, e),
    });
    return {
      source: data.source,
      train: data.train.labelCounts(),
      test: data.test.labelCounts(),
      first: [data.train.label(0), data.test.label(0)] as [number, number],
      isBytes: data.train.images instanceof Uint8Array && data.train.images.length === 60000 * 784,
      progressEnds: [...last.values()].every(
        (e) => e.bytesTotal !== undefined && e.bytesDone === e.bytesTotal,
      ),
    };
  });
}

describe.skipIf(skipUnless(findChromium()))('browser entry in Chromium', { timeout: 90_000 }, () => {
  it('loads and verifies MNIST from a relative base URL', async () => {
    const page = await openPage();
    const summary = await summarise(page);
    expect(summary.source).toEqual({ kind: 'url', location: 'data/' });
    expect(summary.train).toEqual(MNIST_FACTS.trainHistogram);
    expect(summary.test).toEqual(MNIST_FACTS.testHistogram);
    expect(summary.first).toEqual([MNIST_FACTS.firstTrainLabel, MNIST_FACTS.firstTestLabel]);
    expect(summary.isBytes).toBe(true);
    expect(summary.progressEnds).toBe(true);
    await page.close();
  });

  it('still verifies without WebCrypto (insecure context), with the @noble/hashes SHA-256', async () => {
    const page = await openPage();
    await page.evaluate(() => Object.defineProperty(globalThis.crypto, 'subtle', { get: () => undefined }));
    expect(await page.evaluate(() => globalThis.crypto.subtle === undefined)).toBe(true);
    const summary = await summarise(page);
    expect(summary.test).toEqual(MNIST_FACTS.testHistogram);
    await page.close();
  });

  it('loads the test split alone: only its two files fetched, byte progress to the end, only that split returned', async () => {
    const page = await openPage();
    site.server.log.length = 0;
    const result = await page.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: the page global set by the bundle
      const mnist = (window as any).mnist;
      const last = new Map<string, { bytesDone: number; bytesTotal?: number }>();
      const data = await mnist.loadMnist({
        baseUrl: 'data/',
        splits: ['test'],
        onProgress: (e: { file: string; bytesDone: number; bytesTotal?: number }) => last.set(e.file, e),
      });
      return {
        keys: Object.keys(data).sort(),
        test: data.test.labelCounts(),
        progress: [...last.entries()].map(([file, e]) => [file, e.bytesDone, e.bytesTotal]),
      };
    });
    expect(requested()).toEqual(['/data/t10k-labels-idx1-ubyte.gz', '/data/t10k-images-idx3-ubyte.gz']);
    expect(result.keys).toEqual(['attempts', 'classNames', 'dataset', 'source', 'test']);
    expect(result.test).toEqual(MNIST_FACTS.testHistogram);
    expect(result.progress).toEqual(
      ['t10k-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz'].map((name) => {
        const size = files.get(`/data/${name}`)?.length;
        return [name, size, size];
      }),
    );
    await page.close();
  });

  it('aborting a one-split load rejects with ABORTED', async () => {
    const page = await openPage();
    const code = await page.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: the page global set by the bundle
      const mnist = (window as any).mnist;
      const controller = new AbortController();
      try {
        await mnist.loadMnist({
          baseUrl: 'data/',
          splits: ['train'],
          signal: controller.signal,
          onProgress: (e: { bytesDone: number }) => {
            if (e.bytesDone > 0) controller.abort();
          },
        });
        return 'no error';
      } catch (e) {
        return (e as { code: string }).code;
      }
    });
    expect(code).toBe('ABORTED');
    await page.close();
  });

  it('reports a missing file with DOWNLOAD_FAILED', async () => {
    const page = await openPage();
    const result = await page.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: the page global set by the bundle
      const mnist = (window as any).mnist;
      try {
        await mnist.loadMnist({ baseUrl: '/nowhere/' });
        return 'no error';
      } catch (e) {
        return `${(e as { code: string }).code}: ${(e as Error).message}`;
      }
    });
    expect(result).toMatch(/^DOWNLOAD_FAILED: .*HTTP 404/);
    await page.close();
  });

  it('preprocesses a digit drawn on a real canvas (transparent or white background)', async () => {
    const page = await openPage();
    const results = await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the page global set by the bundle
      const mnist = (window as any).mnist;
      return [false, true].map((white) => {
        const canvas = document.createElement('canvas');
        canvas.width = 280;
        canvas.height = 280;
        const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
        if (white) {
          ctx.fillStyle = '#fff';
          ctx.fillRect(0, 0, 280, 280);
        }
        ctx.strokeStyle = '#000';
        ctx.lineWidth = 18;
        ctx.lineCap = 'round';
        ctx.beginPath();
        ctx.moveTo(30, 30);
        ctx.lineTo(120, 30);
        ctx.lineTo(60, 150);
        ctx.stroke();
        const image = ctx.getImageData(0, 0, 280, 280);
        const analysis = mnist.analyzeDrawing(image.data, 280, 280);
        const empty = mnist.preprocessDrawing(new Uint8ClampedArray(280 * 280 * 4), 280, 280);
        return {
          com: analysis.centerOfMass,
          inkSource: analysis.inkSource,
          length: analysis.input.length,
          max: Math.max(...analysis.input),
          empty,
        };
      });
    });
    const [transparent, white] = results;
    expect(transparent?.inkSource).toBe('alpha');
    expect(white?.inkSource).toBe('luminance');
    for (const r of results) {
      expect(r.length).toBe(784);
      expect(Math.abs(r.com.x - 14)).toBeLessThan(0.5);
      expect(Math.abs(r.com.y - 14)).toBeLessThan(0.5);
      expect(r.max).toBeCloseTo(1, 5);
      expect(r.empty).toBeNull();
    }
  });
});
