// The model suite on the native backend, where the optional @tensorflow/tfjs-node installed with its library.
// Its install script downloads libtensorflow from storage.googleapis.com; where it cannot (this development
// machine, CI: npm registry only), the suite is skipped as every requirement the machine lacks is: named, with the
// reason, and a failure under MNIST_REQUIRE_ALL=1 unless MNIST_ALLOW_SKIP names `tensorflow` (.ci/run does).
import { type Requirement, skipUnless } from '@mnist/test-support';
import { describe } from 'vitest';
import { initBackend } from '../src/node.js';
import { describeModelSuite } from './support/model-suite.js';

const tensorflow: Requirement = await initBackend('tensorflow', { log: false }).then(
  () => ({ name: 'tensorflow', found: true }),
  (error: Error) => ({
    name: 'tensorflow',
    found: false,
    reason: error.message.split('\n')[0] as string,
  }),
);

describe.skipIf(skipUnless(tensorflow))('where @tensorflow/tfjs-node loads', () => {
  describeModelSuite('tensorflow');
});
