import { describe, it } from 'vitest';
import { initBackend } from '../src/node.js';
import { describeModelSuite } from './support/model-suite.js';

// The native backend runs the suite only where the optional @tensorflow/tfjs-node installed with its library.
const unavailable = await initBackend('tensorflow', { log: false }).then(
  () => undefined,
  (error: Error) => error.message,
);

if (unavailable === undefined) {
  describeModelSuite('tensorflow');
} else {
  console.log(`tensorflow backend: model suite skipped — ${unavailable}`);
  describe('@mnist/models on the tensorflow backend', () => {
    it.skip(`skipped: ${unavailable}`, () => {});
  });
}
