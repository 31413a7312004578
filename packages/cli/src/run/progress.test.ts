import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, initBackend } from '@mnist/models/node';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { firstChunkSize, nextChunkSize } from './evaluation';
import { everyFewSeconds } from './progress';

describe('everyFewSeconds', () => {
  it('passes at most one line per interval, counted from its creation, and builds only those', () => {
    let now = 0;
    const said: string[] = [];
    let built = 0;
    const report = everyFewSeconds(
      (text) => said.push(text),
      3000,
      () => now,
    );
    for (now = 0; now <= 10_000; now += 500) {
      report(() => {
        built++;
        return `at ${now}`;
      });
    }
    expect(said).toEqual(['at 3000', 'at 6000', 'at 9000']);
    expect(built).toBe(3);
  });
});

describe('nextChunkSize', () => {
  it('aims at the target time in powers of two, within bounds', () => {
    expect(nextChunkSize(32, 300, 300)).toBe(32);
    expect(nextChunkSize(32, 75, 300)).toBe(128);
    expect(nextChunkSize(256, 9000, 300)).toBe(8);
    expect(nextChunkSize(1, 9000, 300)).toBe(1);
    expect(nextChunkSize(512, 1, 300)).toBe(1024);
    expect(nextChunkSize(32, 0, 300)).toBe(1024);
    for (const size of [16, 64, 1024]) expect(Math.log2(nextChunkSize(size, 123, 300)) % 1).toBe(0);
  });
});

describe('firstChunkSize', () => {
  beforeAll(async () => {
    await initBackend('cpu', { log: false });
  });
  it('is 32 images for the tutorial models, and fewer for a costly network, down to one image', () => {
    expect(firstChunkSize(createModel('mlp'))).toBe(32);
    expect(firstChunkSize(createModel('cnn'))).toBe(8); // 11.6 million operations an image
    const costly = sequential({
      layers: [
        layers.conv2d({ inputShape: [28, 28, 1], filters: 64, kernelSize: 1 }),
        layers.conv2d({ filters: 1024, kernelSize: 3, padding: 'same' }), // 784 × 1024 × 9 × 64 ≈ 462 M
        layers.globalAveragePooling2d({}),
        layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    expect(firstChunkSize({ layersModel: costly })).toBe(1);
    costly.dispose();
  });
});
