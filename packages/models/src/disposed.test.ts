// A disposed model is refused with a coded error by every operation that would read its weights.
import { beforeAll, describe, expect, it } from 'vitest';
import { MnistModelError } from './errors.js';
import { classify, createModel, evaluate, initBackend, predict, train } from './node.js';

beforeAll(async () => {
  await initBackend('cpu', { log: false });
});

const image = Uint8Array.from({ length: 784 }, (_, i) => (i * 7) % 256);
const set = { count: 1, images: image, labels: Uint8Array.of(3), image: () => image };

async function codeOf(run: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(MnistModelError);
    return { code: (error as MnistModelError).code, message: (error as Error).message };
  }
  throw new Error('expected an error');
}

describe('a disposed model', () => {
  it('is refused by predict, classify, evaluate and train with DISPOSED, naming the operation and the model', async () => {
    const model = createModel('simple', { seed: 1 });
    expect(classify(model, image).probabilities).toHaveLength(10);
    model.layersModel.dispose();
    for (const [operation, run] of [
      ['predict', () => predict(model, image)],
      ['classify', () => classify(model, image)],
      ['evaluate', () => evaluate(model, set)],
      ['train', () => train(model, set, { epochs: 1 })],
    ] as const) {
      const { code, message } = await codeOf(run);
      expect(code).toBe('DISPOSED');
      expect(message).toBe(
        `${operation}: the model 'simple' was disposed (its weights are freed). Create or load it again.`,
      );
    }
  });
});
