// The README's screenshots (`pnpm --filter web-demo screenshots`): every state of the page (empty, drawn, training,
// explorer with a selected cell) at desktop, laptop and phone sizes, in both themes, into test-output/. Kept out
// of the test command: photographs assert little and cost a training run per size. The layout facts they show are
// tested in test/e2e (product.e2e.test.ts: the phone layout; training.e2e.test.ts: the epochs table on a phone).
import type { MnistSplit } from '@mnist/data';
import { type BrowserSite, findChromium, skipUnless } from '@mnist/test-support';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistTest } from '../test/support/mnist';
import {
  drawImage,
  openOnScreen,
  SCREENS,
  screenshot,
  settledPrediction,
  startDemoSite,
  startTraining,
  trainingResult,
} from '../test/e2e/harness';

let site: BrowserSite;
let test: MnistSplit;

beforeAll(async () => {
  test = await mnistTest();
  site = await startDemoSite('/');
}, 300_000);

afterAll(async () => {
  await site?.close();
});

/** One screenshot per theme of what is on screen now (or of one element). */
async function shoot(page: Page, name: string, target?: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await screenshot(page, `${name}-${colorScheme}`, target ? { testId: target } : {});
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe.skipIf(skipUnless(findChromium()))('the page photographed', () => {
  it('is photographed at desktop, laptop and phone sizes, light and dark: empty, drawn, training, explorer', async () => {
    for (const size of Object.keys(SCREENS) as (keyof typeof SCREENS)[]) {
      const { context, page } = await openOnScreen(site, size, '?n=500');
      try {
        await shoot(page, `${size}-empty`);
        await drawImage(page, test.image(0));
        await settledPrediction(page);
        await shoot(page, `${size}-drawn`);
        // Long enough to be photographed mid-run: curves, the first epoch's row, the time left.
        await startTraining(page, { model: 'mlp', epochs: 3, images: 60000 });
        await page.getByTestId('train-epoch').first().waitFor({ timeout: 300_000 });
        await page.getByTestId('training').scrollIntoViewIfNeeded();
        await shoot(page, `${size}-training`, 'training');
        // The epochs table fits its box at every size (nothing to scroll sideways to).
        const epochs = await page.getByTestId('train-epoch-table').evaluate((table) => {
          const box = table.parentElement as HTMLElement;
          return box.scrollWidth - box.clientWidth;
        });
        expect(epochs, `${size}: epochs table`).toBeLessThanOrEqual(0);
        await page.getByTestId('train-stop').click();
        await trainingResult(page);
        await page.getByTestId('evaluate').click();
        await page.getByTestId('results').waitFor({ timeout: 120_000 });
        const explorer = page.getByTestId('results');
        await explorer.getByTestId('heatmap').scrollIntoViewIfNeeded();
        // The biggest mistake (a cell with images to show), else a diagonal cell.
        const pairs = explorer.locator('.confused button');
        if ((await pairs.count()) > 0) await pairs.first().click();
        else await explorer.getByTestId('cell-7-7').click();
        await shoot(page, `${size}-explorer`);
      } finally {
        await context.close();
      }
    }
  }, 900_000);
});
