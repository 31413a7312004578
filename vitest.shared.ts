import { defaultClientConditions, defaultServerConditions } from 'vite';

// Tests read each workspace package's TypeScript sources through the `@mnist/source` export
// condition, so they run without building first (the root tsconfig honours it too).
export const sourceConditions = {
  resolve: { conditions: ['@mnist/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@mnist/source', ...defaultServerConditions] } },
};
