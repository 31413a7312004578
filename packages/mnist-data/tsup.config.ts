import { defineConfig } from 'tsup';

// Two entries: `node` (file system, cache, downloads) and `browser` (fetch from a base URL). Shared code lands in
// common chunks, which must stay free of node: imports (checked by a test on the built browser entry).
export default defineConfig({
  entry: { node: 'src/node.ts', browser: 'src/browser.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/],
  // Keep `node:` specifiers: bundlers then know these are Node built-ins, never browser code.
  removeNodeProtocol: false,
});
