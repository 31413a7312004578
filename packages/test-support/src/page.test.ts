import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from './chromium.js';
import { modulePage, openModulePage, recordPageErrors } from './page.js';
import { skipUnless } from './requirements.js';
import { type StaticServer, startStaticServer } from './static-server.js';

describe('modulePage', () => {
  it('imports each module as a global of that name, then sets window.ready', () => {
    expect(modulePage({ models: '/models.js', ort: '/ort/ort.mjs' })).toBe(
      '<!doctype html><meta charset="utf-8"><script type="module">' +
        "import * as models from '/models.js'; import * as ort from '/ort/ort.mjs'; " +
        'window.models = models; window.ort = ort; window.ready = true;</script>',
    );
  });

  it('refuses names that are not identifiers and URLs that would break out of the script', () => {
    expect(() => modulePage({ 'a-b': '/x.js' })).toThrow(/is not a global name and a URL/);
    expect(() => modulePage({ x: "/x.js'; alert(1); '" })).toThrow(/is not a global name and a URL/);
  });
});

describe.skipIf(skipUnless(findChromium()))('in Chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startStaticServer({
      files: {
        '/': modulePage({ greeting: '/greeting.js' }),
        '/greeting.js': "export const text = 'hello';",
        '/broken/': modulePage({ broken: '/broken.js' }),
        '/broken.js': "throw new Error('the module failed');",
        '/missing/': modulePage({ missing: '/missing.js' }),
        '/noisy/': '<!doctype html><script>console.warn("careful"); console.error("bad"); null.x;</script>',
      },
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('openModulePage returns the page once its modules are globals', async () => {
    const seen: string[] = [];
    const page = await openModulePage(browser, server.url, {
      beforeLoad: (p) => p.on('request', (r) => seen.push(new URL(r.url()).pathname)),
    });
    expect(
      await page.evaluate(() => (window as unknown as { greeting: { text: string } }).greeting.text),
    ).toBe('hello');
    expect(seen.filter((path) => path !== '/favicon.ico')).toEqual(['/', '/greeting.js']);
    await page.close();
  });

  it('fails at once with what the page said when a module throws, and closes the page', async () => {
    const context = await browser.newContext();
    const error = await openModulePage(context, `${server.origin}/broken/`).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^openModulePage: the page at http:\/\/127\.0\.0\.1:\d+\/broken\/ threw while loading: Error: the module failed/,
    );
    expect(context.pages()).toEqual([]);
    await context.close();
  });

  it('fails when the modules never load, with the console errors the page logged', async () => {
    const error = await openModulePage(browser, `${server.origin}/missing/`, { timeout: 2_000 }).catch(
      (e: Error) => e,
    );
    expect((error as Error).message).toMatch(/^openModulePage: .*Timeout 2000ms exceeded/s);
    expect((error as Error).message).toMatch(/the page reported: error: Failed to load resource: .*404/);
  });

  it('recordPageErrors records uncaught exceptions and console errors, and warnings when asked', async () => {
    const page = await browser.newPage();
    const errors = recordPageErrors(page);
    const all = recordPageErrors(page, { console: ['error', 'warning'] });
    const exceptions = recordPageErrors(page, { console: [] });
    // The page logs, then throws: once the exception has arrived, so have the messages before it.
    const thrown = page.waitForEvent('pageerror');
    await page.goto(`${server.origin}/noisy/`);
    await thrown;
    expect(errors).toEqual([
      'error: bad',
      expect.stringMatching(/^pageerror: TypeError: Cannot read properties of null/),
    ]);
    expect(all).toEqual(['warning: careful', ...errors]);
    expect(exceptions).toEqual([errors[1]]);
    await page.close();
  });
});
