import { MnistModelError } from '../errors.js';
import { backendChain } from './chain.js';
import type { BackendInfo, InitBackendOptions } from './types.js';

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
  /**
   * Threads for the wasm backend's own thread pool (tfjs's `setThreadsCount`), used only where the page is
   * cross-origin isolated; set before the backend first starts, since the pool is sized once.
   */
  wasmThreads?: number;
}

const chain = backendChain<Exclude<BrowserBackendPreference, 'auto'>, BrowserBackendOptions>({
  order: ['webgl', 'wasm', 'cpu'],
  async load(name, options) {
    if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
    else if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
    else {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
      if (options.wasmThreads !== undefined) wasm.setThreadsCount(options.wasmThreads);
    }
  },
  firstChoiceReason: (name) => `${name}: auto picked the first backend in order (webgl, wasm, cpu)`,
});

/**
 * Chooses and activates the tfjs backend in a browser, resolving to its name: the given one, or with `auto`
 * `webgl`, else `wasm`, else `cpu` (each must pass a smoke test, a 2×2 matMul). On wasm, the gradient kernels
 * the `cnn` needs are registered first.
 *
 * @throws MnistModelError `BACKEND_UNAVAILABLE` when a forced backend cannot be used
 */
export async function initBackend(
  preference: BrowserBackendPreference = 'auto',
  options: BrowserBackendOptions = {},
): Promise<Exclude<BrowserBackendPreference, 'auto'>> {
  const threads = options.wasmThreads;
  // tfjs hands the count to its wasm module unchecked; the pool is sized once, so refuse before it starts.
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new MnistModelError(
      'BAD_INPUT',
      `initBackend: wasmThreads must be a positive integer; got ${String(threads)}.`,
    );
  }
  return chain.initBackend(preference, options);
}

/** The backend chosen by the last successful {@link initBackend}, and why; `undefined` before that. */
export function backendInfo(): BackendInfo | undefined {
  return chain.backendInfo();
}
