// Pages for browser tests: a page that loads bundled modules as globals, opening it until they are loaded (or saying
// why they are not), and the page's errors recorded.
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';

/**
 * The HTML of a page that imports each module and sets it as a global of that name, then `window.ready = true`:
 * `modulePage({ models: '/models.js' })` gives tests `window.models` once loaded.
 */
export function modulePage(globals: Readonly<Record<string, string>>): string {
  const entries = Object.entries(globals);
  for (const [name, url] of entries) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name) || /['"\\<>\s]/.test(url)) {
      throw new Error(
        `modulePage: ${JSON.stringify(name)} → ${JSON.stringify(url)} is not a global name and a URL`,
      );
    }
  }
  const imports = entries.map(([name, url]) => `import * as ${name} from '${url}';`).join(' ');
  const globalsSet = entries.map(([name]) => `window.${name} = ${name};`).join(' ');
  return `<!doctype html><meta charset="utf-8"><script type="module">${imports} ${globalsSet} window.ready = true;</script>`;
}

/** Options of {@link recordPageErrors}. */
export interface PageErrorOptions {
  /** Console message types recorded besides uncaught exceptions (default `['error']`; `[]` for exceptions only). */
  console?: readonly ('error' | 'warning')[];
}

/**
 * Records what goes wrong in a page from now on: every uncaught exception (`pageerror: …`) and every console message
 * of the given types (`error: …`, `warning: …`), in order. The returned array fills as the page runs.
 */
export function recordPageErrors(page: Page, options: PageErrorOptions = {}): string[] {
  const types = new Set<string>(options.console ?? ['error']);
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (types.has(message.type())) errors.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${String(error)}`));
  return errors;
}

/** Options of {@link openModulePage}. */
export interface OpenModulePageOptions {
  /** Called with the new page before it navigates (to listen to its requests, say). */
  beforeLoad?: (page: Page) => void;
  /** How long the modules may take to load, in ms (default 60 s). */
  timeout?: number;
}

/**
 * Opens `url` (a {@link modulePage}) in a new page and waits until its modules are loaded (`window.ready`). If the
 * page throws first (a module that fails to load or to run), or they are not loaded in time, it fails with what the
 * page reported, and the page is closed.
 */
export async function openModulePage(
  browser: Browser | BrowserContext,
  url: string,
  options: OpenModulePageOptions = {},
): Promise<Page> {
  const page = await browser.newPage();
  const errors = recordPageErrors(page);
  try {
    options.beforeLoad?.(page);
    let failed: (error: Error) => void = () => {};
    const thrown = new Promise<never>((_, reject) => {
      failed = reject;
    });
    thrown.catch(() => {}); // observed by the race below; never an unhandled rejection
    const onError = (error: Error) =>
      failed(new Error(`the page at ${url} threw while loading: ${String(error)}`));
    page.on('pageerror', onError);
    try {
      await page.goto(url);
      await Promise.race([
        page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, {
          timeout: options.timeout ?? 60_000,
        }),
        thrown,
      ]);
    } finally {
      page.off('pageerror', onError);
    }
    return page;
  } catch (error) {
    await page.close().catch(() => {});
    const said = errors.length > 0 ? `; the page reported: ${errors.join(' | ')}` : '';
    throw new Error(`openModulePage: ${(error as Error).message}${said}`, { cause: error });
  }
}
