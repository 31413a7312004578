import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { mnistTestData } from './build/mnistTestData';
import { serviceWorker } from './build/serviceWorker';

// `base: './'` makes every asset URL relative, so the built site works at `/` and under any sub-path.
export default defineConfig({
  base: './',
  plugins: [react(), mnistTestData(), serviceWorker()],
  // Workspace packages are bundled from their TypeScript sources (no stale dist/ in the demo).
  resolve: { conditions: ['@mnist/source', ...defaultClientConditions] },
  build: {
    // The pretrained weights are bundled modules; keep Vite from warning about them as if they were code.
    chunkSizeWarningLimit: 2048,
    sourcemap: true,
  },
});
