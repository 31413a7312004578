// Vite plugin: generates sw.js, a small service worker that makes the built site work offline.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/**
 * Files cached on first use rather than on install, so a visitor who only draws never downloads them: MNIST
 * (the explorer fetches the test split, training all four files), the training worker and its chunks, the
 * threaded wasm binary (tfjs picks it only on cross-origin-isolated pages), and the chunks for Keras .keras and
 * ONNX files (`model-io-*`, named so by vite.config.ts: h5wasm, HDF5 in WebAssembly, about 1 MB gzipped; the
 * .keras reader and writer with fflate; the ONNX export and its protobuf encoder; the page's conversions), which
 * load only when a visitor drops a .keras file or downloads a model for Keras or as ONNX. Once used, they work
 * offline.
 */
export function isRuntimeCached(fileName: string): boolean {
  return (
    fileName.startsWith('data/') ||
    fileName.startsWith('assets/training-') ||
    /tfjs-backend-wasm-threaded-simd-[^/]*\.wasm$/.test(fileName) ||
    /^assets\/model-io-[^/]*\.js$/.test(fileName)
  );
}

/** Files the service worker never caches (source maps are for developers, not for offline use). */
function isIgnored(fileName: string): boolean {
  return fileName.endsWith('.map') || fileName === 'sw.js';
}

/**
 * The service worker's source: the template with the precache list, a version (a hash of every shipped file's
 * name and content, so any change to the site installs a new worker and drops the old cache) and whether it makes
 * the page cross-origin isolated.
 */
export function serviceWorkerSource(
  template: string,
  precache: readonly string[],
  version: string,
  isolate = false,
): string {
  return template
    .replace('self.__PRECACHE__', JSON.stringify(['./', ...precache]))
    .replace('self.__VERSION__', JSON.stringify(version))
    .replace('self.__ISOLATE__', JSON.stringify(isolate));
}

/** Options of {@link serviceWorker}. */
export interface ServiceWorkerOptions {
  /**
   * Serve every response with COOP/COEP so the page is cross-origin isolated from its second load on (the
   * "coi-serviceworker" technique), which gives training SharedArrayBuffer, hence the WebAssembly engine's
   * threads (the `cnn` trained 0.82× the time on two threads here; README, "Speed"). Off by default for other
   * builds of this plugin; the demo turns it on in vite.config.ts.
   */
  isolate?: boolean;
}

/** The plugin: runs last, after every other plugin has emitted its files. */
export function serviceWorker(options: ServiceWorkerOptions = {}): Plugin {
  return {
    name: 'mnist-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const hash = createHash('sha256');
      const precache: string[] = [];
      for (const [fileName, chunk] of Object.entries(bundle).sort(([a], [b]) => a.localeCompare(b))) {
        if (isIgnored(fileName)) continue;
        hash.update(fileName);
        hash.update(chunk.type === 'chunk' ? chunk.code : chunk.source);
        if (!isRuntimeCached(fileName)) precache.push(fileName);
      }
      const template = readFileSync(new URL('./service-worker.js', import.meta.url), 'utf8');
      const version = hash.digest('hex').slice(0, 16);
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: serviceWorkerSource(template, precache, version, options.isolate ?? false),
      });
    },
  };
}
