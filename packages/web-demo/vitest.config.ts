import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'web-demo',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'build/**/*.test.ts', 'test/**/*.test.ts'],
    // One file at a time: two Chromium instances on a 2-core machine would slow each other (and skew the timings
    // the e2e harness records); the unit test files take seconds.
    fileParallelism: false,
  },
});
