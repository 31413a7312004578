import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

// `pnpm --filter web-demo bench`: measurements in Chromium, one file at a time (they would skew each other).
export default defineProject({
  ...sourceConditions,
  test: {
    name: 'web-demo-bench',
    include: ['bench/**/*.bench.ts'],
    fileParallelism: false,
  },
});
