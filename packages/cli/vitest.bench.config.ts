import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

// Benchmarks of the output pipeline; they need no built binary (unlike the end-to-end tests).
export default defineConfig({
  ...sourceConditions,
  test: { benchmark: { include: ['bench/**/*.bench.ts'] } },
});
