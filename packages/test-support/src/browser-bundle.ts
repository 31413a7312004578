// One way to bundle a package's browser entry for a test page: as a user's bundler would, for the browser platform,
// so that a Node built-in anywhere in what the page imports fails the build.
import { relative } from 'node:path';
import { build, type Metafile } from 'esbuild';

/** What to bundle: a file, or TypeScript source (e.g. re-exports) resolved from `resolveDir`. */
export type BundleEntry = string | { readonly contents: string; readonly resolveDir: string };

/** Options of {@link bundleForBrowser}. */
export interface BrowserBundleOptions {
  /** The entry's URL path, `/bundle.js` by default (e.g. `/models.js`); chunks are written beside it. */
  path?: string;
  /** Code splitting: each dynamically imported module becomes a chunk of its own, named after it (default off). */
  splitting?: boolean;
}

/** A bundle held in memory, ready to be served. */
export interface BrowserBundle {
  /** Every output file by URL path (the entry and, with splitting, its chunks), for `startStaticServer`'s `files`. */
  readonly files: Readonly<Record<string, string>>;
  /** The entry's URL path. */
  readonly path: string;
  /** The entry's code. */
  readonly code: string;
  /** esbuild's account of the build: every output's inputs, imports, size and entry point. */
  readonly metafile: Metafile;
}

/** Where outputs are placed in memory (nothing is written). */
const OUT_DIR = '/bundle';

/**
 * Bundles `entry` for a page: ESM, ES2022, esbuild's `browser` platform (a Node built-in anywhere in the import graph
 * fails the build), workspace packages read from their TypeScript sources (the `@mnist/source` condition), nothing
 * written to disk. Throws esbuild's errors when the build fails.
 */
export async function bundleForBrowser(
  entry: BundleEntry,
  options: BrowserBundleOptions = {},
): Promise<BrowserBundle> {
  const path = options.path ?? '/bundle.js';
  if (!/^\/(?:[\w.-]+\/)*[\w.-]+\.js$/.test(path)) {
    throw new Error(
      `bundleForBrowser: path must be an absolute URL path ending in .js, like /models.js; got ${path}`,
    );
  }
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  const name = path.slice(folder.length, -'.js'.length);
  const result = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: entry.resolveDir, loader: 'ts' } }),
    bundle: true,
    splitting: options.splitting ?? false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@mnist/source'],
    outdir: OUT_DIR,
    entryNames: name,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const files: Record<string, string> = {};
  for (const file of result.outputFiles) {
    if (file.path.endsWith('.map')) continue;
    files[`${folder}${relative(OUT_DIR, file.path)}`] = file.text;
  }
  const code = files[path];
  if (code === undefined) {
    throw new Error(`bundleForBrowser: esbuild wrote no ${path}; outputs: ${Object.keys(files).join(', ')}`);
  }
  return { files, path, code, metafile: result.metafile };
}
