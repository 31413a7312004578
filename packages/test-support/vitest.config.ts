import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

export default defineProject({
  ...sourceConditions,
  test: { name: '@mnist/test-support', include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
