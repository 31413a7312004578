import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * Where tfjs-backend-wasm finds its binaries: the copies Vite put into this site's assets (content-hashed, resolved
 * against the page), never tfjs's default CDN, so the demo fetches nothing from another origin and works offline.
 */
export function wasmPaths(): Record<string, string> {
  // Outside a page (unit tests in Node) the module's own URL is the base.
  const base = globalThis.document?.baseURI ?? import.meta.url;
  const resolve = (url: string) => new URL(url, base).href;
  return {
    'tfjs-backend-wasm.wasm': resolve(plainWasm),
    'tfjs-backend-wasm-simd.wasm': resolve(simdWasm),
    'tfjs-backend-wasm-threaded-simd.wasm': resolve(threadedSimdWasm),
  };
}
