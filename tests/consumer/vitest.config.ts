import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'consumer',
    include: ['*.test.ts'],
    // Packing, npm installs and a Vite build take minutes, not seconds.
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
});
