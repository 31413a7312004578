// The package's browser entry in Chromium: bundled as a user's bundler would (@mnist/test-support), on a page that
// sets `window.models`, served with what it loads at run time.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BrowserBundle,
  type BrowserSite,
  type BrowserSiteOptions,
  bundleForBrowser,
  modulePage,
  startBrowserSite,
} from '@mnist/test-support';

/** The package's folder: bundles of `./src/browser.ts` are resolved from here. */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** The folder of the tfjs wasm backend's `.wasm` binaries, served as `/wasm/` for `initBackend(…, { wasmPaths })`. */
export function wasmBinariesDir(): string {
  return dirname(fileURLToPath(import.meta.resolve('@tensorflow/tfjs-backend-wasm')));
}

/** Options of {@link startModelsSite}. */
export interface ModelsSiteOptions extends Pick<BrowserSiteOptions, 'mounts' | 'headers' | 'browser'> {
  /** More source for the bundle after `export * from './src/browser.ts';` (more exports in the same tfjs). */
  alsoExport?: string;
  /** Code splitting (each lazily loaded module a chunk of its own beside /models.js). */
  splitting?: boolean;
  /** The page's URL path (default `/`). */
  page?: string;
  /** More modules the page sets as globals, by name (`{ ort: '/ort/ort.wasm.min.mjs' }`). */
  globals?: Readonly<Record<string, string>>;
}

/**
 * The browser entry bundled as `/models.js`, a page at `options.page` that imports it as `window.models` (and
 * `options.globals`), served with the wasm binaries under `/wasm/` and `options.mounts`, and Chromium to open it in.
 */
export async function startModelsSite(
  options: ModelsSiteOptions = {},
): Promise<BrowserSite & { readonly bundle: BrowserBundle }> {
  const bundle = await bundleForBrowser(
    { contents: `export * from './src/browser.ts';${options.alsoExport ?? ''}`, resolveDir: packageDir },
    { path: '/models.js', splitting: options.splitting ?? false },
  );
  const site = await startBrowserSite({
    files: {
      ...bundle.files,
      [options.page ?? '/']: modulePage({ models: '/models.js', ...options.globals }),
    },
    mounts: { '/wasm/': wasmBinariesDir(), ...options.mounts },
    ...(options.headers && { headers: options.headers }),
    ...(options.browser && { browser: options.browser }),
  });
  return Object.assign(site, { bundle });
}
