import { defineConfig } from 'tsup';

export default defineConfig({
  // Three entries sharing one chunk graph, so tfjs state and module singletons are never duplicated.
  entry: ['src/index.ts', 'src/node.ts', 'src/browser.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // tfjs stays a dependency, never bundled: two copies of tfjs-core break kernel registration.
  external: [/^@tensorflow\//, /^@mnist\//],
});
