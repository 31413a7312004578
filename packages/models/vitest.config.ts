import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

export default defineProject({
  ...sourceConditions,
  test: {
    name: '@mnist/models',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    // Real training on MNIST subsets: the pure-JS cpu backend needs seconds per test on 2 shared cores.
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
