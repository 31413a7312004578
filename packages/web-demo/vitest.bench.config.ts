import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

// `pnpm --filter web-demo bench`: measurements in Chromium, one file at a time (they would skew each other).
export default defineProject({
  ...sourceConditions,
  test: {
    name: 'web-demo-bench',
    include: ['test/e2e/inference-time.e2e.test.ts', 'bench/**/*.bench.ts'],
    fileParallelism: false,
  },
});
