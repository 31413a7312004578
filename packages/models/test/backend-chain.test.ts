// The queue-and-fallback chain behind both entries' initBackend, with a real backend that loads and initialises
// but fails its smoke test (tfjs's cpu backend registered under another name, without any kernels — what
// tfjs-node looks like on a Node release where its first operations throw).
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendChain } from '../src/backend/chain.js';
import { MnistModelError } from '../src/errors.js';

tf.registerBackend('kernelless', () => new MathBackendCPU());

function chain() {
  return backendChain<'kernelless' | 'cpu', { log?: (message: string) => void }>({
    order: ['kernelless', 'cpu'],
    load: async () => {},
    firstChoiceReason: (name) => `${name}: first`,
  });
}

describe('backendChain', () => {
  it('auto skips a backend that fails its smoke test and says why', async () => {
    const messages: string[] = [];
    const backends = chain();
    expect(await backends.initBackend('auto', { log: (m) => messages.push(m) })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const info = backends.backendInfo();
    expect(info?.skipped).toEqual([
      {
        name: 'kernelless',
        error: expect.stringMatching(/smoke test \(a 2×2 matMul\) failed: .*BatchMatMul/),
      },
    ]);
    expect(info?.reason).toMatch(/^cpu: auto fell back because kernelless is unavailable \(its smoke test/);
    expect(messages).toHaveLength(1);
  });

  it('a forced backend that fails its smoke test is refused and the previous one stays active', async () => {
    const backends = chain();
    expect(await backends.initBackend('cpu')).toBe('cpu');
    const error = await backends.initBackend('kernelless').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MnistModelError);
    expect(error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/kernelless backend was requested .* smoke test/);
    expect(tf.getBackend()).toBe('cpu');
    expect(backends.backendInfo()?.name).toBe('cpu');
    await expect(backends.initBackend('gpu' as 'cpu')).rejects.toThrow(
      /Unknown backend 'gpu'.*auto, kernelless, cpu/,
    );
  });
});
