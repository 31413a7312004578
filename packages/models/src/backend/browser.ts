import { getBackend } from '@tensorflow/tfjs-core';
import { MnistModelError } from '../errors.js';
import { activate, firstLine, noticeOnce } from './activate.js';
import type { BackendAttempt, BackendInfo, BackendName, InitBackendOptions } from './types.js';

/** Backends the browser entry can use; `auto` tries them in this order: webgl, wasm, cpu. */
export type BrowserBackendPreference = 'auto' | 'webgl' | 'wasm' | 'cpu';

/** Options for the browser `initBackend`. */
export interface BrowserBackendOptions extends InitBackendOptions {
  /**
   * Where the wasm backend finds its `.wasm` binaries: a directory URL ending in `/`, or a map from each
   * file name (`tfjs-backend-wasm.wasm`, `tfjs-backend-wasm-simd.wasm`, `tfjs-backend-wasm-threaded-simd.wasm`)
   * to its URL. Needed when a bundler moves them (tfjs's `setWasmPaths`); without it tfjs looks next to its script.
   */
  wasmPaths?: string | Record<string, string>;
}

const BROWSER_ORDER: readonly Exclude<BrowserBackendPreference, 'auto'>[] = ['webgl', 'wasm', 'cpu'];

async function register(name: Exclude<BrowserBackendPreference, 'auto'>, options: BrowserBackendOptions) {
  if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  else if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  else {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
  }
}

let current: BackendInfo | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Chooses and activates the tfjs backend in a browser, resolving to its name: the given one, or with `auto`
 * `webgl`, else `wasm`, else `cpu`. On wasm, the gradient kernels the `cnn` needs are registered first.
 *
 * @throws MnistModelError `BACKEND_UNAVAILABLE` when a forced backend cannot be used
 */
export function initBackend(
  preference: BrowserBackendPreference = 'auto',
  options: BrowserBackendOptions = {},
): Promise<BackendName> {
  const run = queue.then(() => choose(preference, options));
  queue = run.catch(() => undefined);
  return run;
}

/** The backend chosen by the last successful {@link initBackend}, and why; `undefined` before that. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}

async function choose(
  preference: BrowserBackendPreference,
  options: BrowserBackendOptions,
): Promise<BackendName> {
  if (preference !== 'auto' && !BROWSER_ORDER.includes(preference)) {
    throw new MnistModelError(
      'BAD_INPUT',
      `Unknown backend '${String(preference)}'. Choose one of: auto, ${BROWSER_ORDER.join(', ')}.`,
    );
  }
  if (
    current !== undefined &&
    getBackend() === current.name &&
    (preference === 'auto' ? current.chosenBy === 'auto' : current.name === preference)
  ) {
    return current.name;
  }
  const candidates = preference === 'auto' ? BROWSER_ORDER : [preference];
  const skipped: BackendAttempt[] = [];
  for (const name of candidates) {
    try {
      await register(name, options);
      const details = await activate(name);
      const reason =
        preference !== 'auto'
          ? `${name}: forced by initBackend('${name}')`
          : skipped.length === 0
            ? `${name}: auto picked the first backend in order (webgl, wasm, cpu)`
            : `${name}: auto fell back because ${skipped.map((s) => `${s.name} is unavailable (${s.error})`).join('; ')}`;
      if (skipped.length > 0) {
        noticeOnce(
          `@mnist/models: using the ${name} backend; ${skipped.map((s) => `${s.name} failed (${s.error})`).join('; ')}.`,
          options,
        );
      }
      current = { name, reason, chosenBy: preference === 'auto' ? 'auto' : 'option', skipped, ...details };
      return name;
    } catch (error) {
      skipped.push({ name, error: firstLine(error) });
    }
  }
  throw new MnistModelError(
    'BACKEND_UNAVAILABLE',
    `No tfjs backend could be initialised here: ${skipped.map((s) => `${s.name}: ${s.error}`).join('; ')}.`,
  );
}
