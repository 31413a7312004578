import { describe, expect, it } from 'vitest';
import { startBrowserSite } from './browser-site.js';
import { findChromium } from './chromium.js';
import { modulePage } from './page.js';
import { skipUnless } from './requirements.js';
import { CROSS_ORIGIN_ISOLATION } from './static-server.js';

describe.skipIf(skipUnless(findChromium()))('startBrowserSite', () => {
  it('serves the site and opens its module pages in its own Chromium; close ends both', async () => {
    const site = await startBrowserSite({
      basePath: '/app/',
      files: { '/app/': modulePage({ lib: '/app/lib.js' }), '/app/lib.js': 'export const n = 7;' },
      headers: CROSS_ORIGIN_ISOLATION,
    });
    let closed = false;
    site.browser.on('disconnected', () => {
      closed = true;
    });
    try {
      const page = await site.openModulePage();
      expect(page.url()).toBe(`${site.server.origin}/app/`);
      expect(await page.evaluate(() => (window as unknown as { lib: { n: number } }).lib.n)).toBe(7);
      expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
      // (Chromium may also ask for /favicon.ico, whenever it likes.)
      expect(site.server.log.filter((line) => !line.includes('/favicon.ico'))).toEqual([
        'GET /app/ -> 200',
        'GET /app/lib.js -> 200',
      ]);
    } finally {
      await site.close();
    }
    expect(closed).toBe(true);
    await expect(fetch(site.server.url)).rejects.toThrow();
  });

  it('shares another site’s browser without closing it, and opens pages by path', async () => {
    const first = await startBrowserSite({ files: { '/': modulePage({}) } });
    try {
      const second = await startBrowserSite({
        browser: first.browser,
        files: { '/plain/': modulePage({ lib: '/lib.js' }), '/lib.js': 'export const n = 8;' },
      });
      expect(second.browser).toBe(first.browser);
      const page = await second.openModulePage('/plain/');
      expect(await page.evaluate(() => (window as unknown as { lib: { n: number } }).lib.n)).toBe(8);
      await second.close();
      expect(first.browser.isConnected()).toBe(true);
      const again = await first.openModulePage();
      expect(await again.evaluate(() => (window as unknown as { ready: boolean }).ready)).toBe(true);
    } finally {
      await first.close();
    }
  });
});
