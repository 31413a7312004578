import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ENV, CHROMIUM_LOCATIONS, findChromium, launchChromium } from './chromium.js';
import { skipUnless } from './requirements.js';
import { CROSS_ORIGIN_ISOLATION, type StaticServer, startStaticServer } from './static-server.js';

describe('findChromium', () => {
  it(`takes ${CHROMIUM_ENV} when it names an executable, and only then`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'test-support-chromium-'));
    try {
      const notExecutable = join(dir, 'chromium');
      await writeFile(notExecutable, '');
      expect(findChromium({ [CHROMIUM_ENV]: process.execPath })).toEqual({
        name: 'Chromium',
        found: true,
        path: process.execPath,
      });
      for (const wrong of ['/nonexistent', notExecutable, dir]) {
        const lookup = findChromium({ [CHROMIUM_ENV]: wrong });
        expect(lookup.found).toBe(false);
        expect(!lookup.found && lookup.reason).toMatch(
          new RegExp(
            `^${CHROMIUM_ENV}=${wrong} is not an executable file; install Debian's chromium package`,
          ),
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('otherwise tries the usual locations in order and says which when none is there', () => {
    const lookup = findChromium({});
    if (lookup.found) expect(CHROMIUM_LOCATIONS).toContain(lookup.path);
    else expect(lookup.reason).toContain(`not found in ${CHROMIUM_LOCATIONS.join(', ')}`);
  });
});

describe.skipIf(skipUnless(findChromium()))('launchChromium', () => {
  let browser: Browser;
  let server: StaticServer;
  beforeAll(async () => {
    server = await startStaticServer({
      files: { '/': '<!doctype html><title>isolated</title>' },
      headers: CROSS_ORIGIN_ISOLATION,
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens a page served with COOP/COEP as cross-origin isolated', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    expect(await page.title()).toBe('isolated');
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    await page.close();
  });

  it('cannot resolve any host name: nothing but 127.0.0.1 is reachable', async () => {
    const page = await browser.newPage();
    const error = await page.goto('http://example.com/').then(
      () => '',
      (e: Error) => e.message,
    );
    expect(error).toMatch(/ERR_NAME_NOT_RESOLVED/);
    await page.close();
  });

  it('starts each browser with a fresh profile: nothing stored by the first is seen by the second', async () => {
    const first = await browser.newPage();
    await first.goto(server.url);
    await first.evaluate(() => localStorage.setItem('mark', 'set'));
    const other = await launchChromium();
    try {
      const page = await other.newPage();
      await page.goto(server.url);
      expect(await page.evaluate(() => localStorage.getItem('mark'))).toBeNull();
    } finally {
      await other.close();
    }
  });
});
