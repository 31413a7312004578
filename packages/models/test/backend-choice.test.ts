import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_ENV_VAR, backendInfo, initBackend, MnistModelError } from '../src/node.js';

// How the Node entry picks a backend. On machines without tfjs-node's native library (ours), auto must land on
// wasm and say why exactly once; where tfjs-node loads, auto must pick it.
const tfjsNodeLoads = await import('@tensorflow/tfjs-node').then(
  () => true,
  () => false,
);

describe('initBackend (Node)', () => {
  afterEach(() => {
    delete process.env[BACKEND_ENV_VAR];
  });

  it('auto picks tensorflow when tfjs-node loads, else wasm, and says so once', async () => {
    const messages: string[] = [];
    const log = (message: string) => messages.push(message);
    const name = await initBackend('auto', { log });
    expect(tf.getBackend()).toBe(name);
    const info = backendInfo();
    if (tfjsNodeLoads) {
      expect(name).toBe('tensorflow');
      expect(messages).toEqual([]);
    } else {
      expect(name).toBe('wasm');
      expect(info?.skipped.map((s) => s.name)).toEqual(['tensorflow']);
      // The cause, in a few words, before the error's details (the CLI keeps only those words).
      const cause =
        '(tfjs-node not installed|native addon not built|libtensorflow missing|does not run on Node \\d+)';
      expect(info?.reason).toMatch(
        new RegExp(`^wasm: auto fell back because tensorflow is unavailable: ${cause} \\(`),
      );
      expect(info?.simd).toBe(true);
      expect(info?.threads).toBe(1);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(new RegExp(`using the wasm backend; @tensorflow/tfjs-node: ${cause} \\(`));
    }
    expect(info?.chosenBy).toBe('auto');
    // Switching away and back to auto does not repeat the notice.
    await initBackend('cpu', { log });
    await initBackend('auto', { log });
    expect(messages.length).toBeLessThanOrEqual(1);
  });

  it('is forced by an explicit option or by MNIST_BACKEND, the option winning', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(backendInfo()).toMatchObject({
      name: 'cpu',
      chosenBy: 'option',
      reason: "cpu: forced by initBackend('cpu')",
    });
    process.env[BACKEND_ENV_VAR] = 'wasm';
    expect(await initBackend()).toBe('wasm');
    expect(backendInfo()).toMatchObject({
      name: 'wasm',
      chosenBy: 'env',
      reason: 'wasm: forced by MNIST_BACKEND=wasm',
    });
    expect(await initBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects unknown names and reports a forced backend that cannot load', async () => {
    await expect(initBackend('gpu' as 'cpu')).rejects.toThrow(
      /Unknown backend 'gpu'.*auto, tensorflow, wasm, cpu/,
    );
    process.env[BACKEND_ENV_VAR] = 'webgpu';
    await expect(initBackend()).rejects.toThrow(/Unknown backend 'webgpu' in MNIST_BACKEND/);
    if (!tfjsNodeLoads) {
      const error = await initBackend('tensorflow').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MnistModelError);
      expect(error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      expect((error as Error).message).toMatch(/Install @tensorflow\/tfjs-node 4\.22/);
      // The failed attempt leaves the previous backend active.
      expect(tf.getBackend()).toBe('cpu');
    }
  });
});
