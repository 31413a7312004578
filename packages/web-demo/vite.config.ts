import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { mnistData } from './build/mnistData';
import { serviceWorker } from './build/serviceWorker';

/** Readable names for the lazily loaded chunks (each tfjs backend, each model's weights) in dist/assets. */
function chunkName(facadeModuleId: string | null): string {
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
    rollupOptions: { output: { chunkFileNames: (chunk) => chunkName(chunk.facadeModuleId) } },
  },
});
