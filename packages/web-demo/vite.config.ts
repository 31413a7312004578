import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { mnistData } from './build/mnistData';
import { serviceWorker } from './build/serviceWorker';

/**
 * @mnist/models' .keras reader and writer (with fflate and h5wasm), its ONNX export and encoder, and the page's own
 * conversions (src/inference/convert.ts): all imported on use, when a visitor loads a .keras file or downloads a
 * model for Keras or as ONNX.
 */
const MODEL_IO =
  /models\/src\/(?:io\/keras|onnx)\/|\/node_modules\/h5wasm\/|web-demo\/src\/inference\/convert\.ts$/;

/**
 * Readable names for the lazily loaded chunks in dist/assets: each tfjs backend, each model's weights, and the
 * chunks holding MODEL_IO (`model-io-*`, which the service worker caches on first use). Only chunks loaded on
 * demand get here; the page's entry keeps its own name.
 */
function chunkName({
  facadeModuleId,
  moduleIds,
}: {
  facadeModuleId: string | null;
  moduleIds: readonly string[];
}): string {
  if (moduleIds.some((m) => MODEL_IO.test(m))) return 'assets/model-io-[name]-[hash].js';
  const id = facadeModuleId ?? '';
  const backend = /@tensorflow\/tfjs-backend-(\w+)\//.exec(id);
  if (backend) return `assets/tfjs-backend-${backend[1]}-[hash].js`;
  const weights = /(?:pretrained\/weights|generated\/pretrained)\/(\w+)\./.exec(id);
  if (weights) return `assets/weights-${weights[1]}-[hash].js`;
  return 'assets/[name]-[hash].js';
}

// `base: './'` makes every asset URL relative, so the built site works at `/` and under any sub-path.
export default defineConfig({
  base: './',
  // Cross-origin isolation through the service worker, so training can use threads (measured: README, "Speed").
  plugins: [react(), mnistData(), serviceWorker({ isolate: true })],
  // Workspace packages are bundled from their TypeScript sources (no stale dist/ in the demo).
  resolve: { conditions: ['@mnist/source', ...defaultClientConditions] },
  // The training worker loads tfjs backends on demand, which needs code splitting: an ES module worker. Its files
  // are named training-* (fetched on the first Train, never on a first visit).
  worker: {
    format: 'es',
    rollupOptions: {
      output: {
        entryFileNames: 'assets/training-worker-[hash].js',
        chunkFileNames: 'assets/training-[name]-[hash].js',
      },
    },
  },
  build: {
    // The pretrained weights are bundled modules; keep Vite from warning about them as if they were code.
    chunkSizeWarningLimit: 2048,
    sourcemap: true,
    rollupOptions: { output: { chunkFileNames: chunkName } },
  },
});
