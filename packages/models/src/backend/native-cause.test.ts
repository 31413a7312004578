// The causes the CLI and the one-time notice give for a native backend that did not load, from the errors
// @tensorflow/tfjs-node really gives (this machine's own is checked in test/backend-choice.test.ts).
import { describe, expect, it } from 'vitest';
import { nativeCause } from './native-cause.js';

describe('nativeCause', () => {
  it('tells the four ways tfjs-node fails apart', () => {
    expect(
      nativeCause("Cannot find package '@tensorflow/tfjs-node' imported from /app/x.js", 'v20.19.0')?.short,
    ).toBe('tfjs-node not installed');
    expect(
      nativeCause(
        'The Node.js native addon module (tfjs_binding.node) can not be found at path: /app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node.',
        'v20.19.0',
      ),
    ).toMatchObject({
      short: 'native addon not built',
      advice: expect.stringContaining('onlyBuiltDependencies'),
    });
    expect(nativeCause('libtensorflow.so.2: cannot open shared object file', 'v22.1.0')?.short).toBe(
      'libtensorflow missing',
    );
    expect(nativeCause('util.isNullOrUndefined is not a function (smoke test)', 'v24.2.0')).toMatchObject({
      short: 'does not run on Node 24',
      advice: expect.stringContaining('Node 22 or older'),
    });
  });

  it('says nothing it cannot read from the error', () => {
    expect(nativeCause('something else entirely', 'v20.19.0')).toBeUndefined();
  });
});
