import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `base: './'` makes every asset URL relative, so the built site works at `/` and under any sub-path.
export default defineConfig({
  base: './',
  plugins: [react()],
  resolve: { conditions: ['@mnist/source'] },
});
