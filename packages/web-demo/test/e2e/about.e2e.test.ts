// End-to-end: "About the models" in Debian's Chromium against the built site. Its table fits a 390-px phone and a
// desktop without sideways scrolling, shows @mnist/models' generated drawn-digit figures, and passes axe in both
// themes; screenshots of both themes at both sizes.
import { drawnBenchmark } from '@mnist/models';
import { type BrowserSite, findChromium, skipUnless } from '@mnist/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aboutCellId } from '../../src/components/AboutModels';
import { formatPercent } from '../../src/format';
import { axeViolations, SCREENS, screenshot, startDemoSite } from './harness';

const SIZES = { phone: SCREENS.phone, desktop: SCREENS.desktop } as const;

let site: BrowserSite;

/** Chromium is a system requirement: without it these tests are skipped, saying why (CI requires it). */
const withoutChromium = skipUnless(findChromium());

beforeAll(async () => {
  site = await startDemoSite('/');
}, 300_000);

afterAll(async () => {
  await site?.close();
});

describe.skipIf(withoutChromium)('About the models', () => {
  it.each(Object.keys(SIZES) as (keyof typeof SIZES)[])(
    'fits the %s without sideways scrolling and shows the generated figures, light and dark',
    async (size) => {
      const context = await site.browser.newContext({ ...SIZES[size] });
      try {
        const page = await context.newPage();
        await page.goto(site.server.url);
        const section = page.getByTestId('about-models');
        await section.scrollIntoViewIfNeeded();

        const fit = await section.locator('table').evaluate((table) => {
          const box = table.parentElement as HTMLElement;
          return {
            table: table.getBoundingClientRect().right,
            box: box.getBoundingClientRect().right,
            scroll: box.scrollWidth - box.clientWidth,
            page: document.documentElement.scrollWidth - window.innerWidth,
          };
        });
        expect(fit.table, 'table inside its box').toBeLessThanOrEqual(fit.box + 0.5);
        expect(fit.scroll, 'nothing to scroll to in the box').toBeLessThanOrEqual(0);
        expect(fit.page, 'nothing to scroll to on the page').toBeLessThanOrEqual(0);

        for (const [name, figures] of Object.entries(drawnBenchmark.models)) {
          expect(await section.getByTestId(aboutCellId(name, 'mnist-test')).textContent()).toBe(
            formatPercent(figures?.mnistTest.accuracy ?? Number.NaN),
          );
          for (const part of drawnBenchmark.parts) {
            expect(await section.getByTestId(aboutCellId(name, part.name)).textContent(), part.name).toBe(
              formatPercent(figures?.drawn[part.name]?.accuracy ?? Number.NaN),
            );
          }
        }

        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme });
          await screenshot(page, `${size}-about-models-${colorScheme}`, { testId: 'about-models' });
          expect(await axeViolations(page, '[data-testid="about-models"]'), colorScheme).toEqual([]);
        }
      } finally {
        await context.close();
      }
    },
    120_000,
  );
});
