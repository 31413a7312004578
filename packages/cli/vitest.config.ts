import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

export default defineProject({
  ...sourceConditions,
  test: {
    name: '@mnist/cli',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // End-to-end tests run the built binary (dist/cli.js); build it first.
    globalSetup: ['test/global-setup.ts'],
    // Training runs on subsets still take seconds each on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
