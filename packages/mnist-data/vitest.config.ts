import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

export default defineProject({
  ...sourceConditions,
  test: {
    name: '@mnist/data',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Full-set loads and real downloads take a few seconds on a busy 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
