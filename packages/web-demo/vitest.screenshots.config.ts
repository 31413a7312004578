import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

// `pnpm --filter web-demo screenshots`: the README's screenshots, taken against the built site (`pnpm build` first).
export default defineProject({
  ...sourceConditions,
  test: {
    name: 'web-demo-screenshots',
    include: ['scripts/screenshots.e2e.ts'],
  },
});
