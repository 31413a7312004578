// A test's site in Chromium: a static server on 127.0.0.1 and a browser to open it in, started and closed together.
import type { Browser, LaunchOptions, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { type OpenModulePageOptions, openModulePage } from './page.js';
import { type StaticServer, type StaticServerOptions, startStaticServer } from './static-server.js';

/** Options of {@link startBrowserSite}: what to serve, and which browser. */
export interface BrowserSiteOptions extends StaticServerOptions {
  /** A browser to share (another site's): not launched here, not closed by `close()`. */
  browser?: Browser;
  /** Options of the Chromium launched when no `browser` is given. */
  launch?: Omit<LaunchOptions, 'executablePath'>;
}

/** A running site and its browser. */
export interface BrowserSite {
  readonly server: StaticServer;
  readonly browser: Browser;
  /** A new page at `path` of the site (its base path by default), once its modules are loaded (`openModulePage`). */
  openModulePage(path?: string, options?: OpenModulePageOptions): Promise<Page>;
  /** Closes the browser (when launched here) and the server. */
  close(): Promise<void>;
}

/**
 * Serves `options` (see `startStaticServer`) and launches Chromium (`launchChromium`), or takes `options.browser`.
 * If the launch fails, the server is closed again.
 */
export async function startBrowserSite(options: BrowserSiteOptions = {}): Promise<BrowserSite> {
  const { browser: shared, launch, ...served } = options;
  const server = await startStaticServer(served);
  let browser: Browser;
  try {
    browser = shared ?? (await launchChromium(launch));
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    browser,
    openModulePage: (path, pageOptions) =>
      openModulePage(browser, new URL(path ?? '', server.url).href, pageOptions),
    async close() {
      try {
        if (shared === undefined) await browser.close();
      } finally {
        await server.close();
      }
    },
  };
}
