// The engine with the real pretrained models on tfjs's cpu backend (the page's code path, minus the browser).
import { describe, expect, it } from 'vitest';
import { mnistTest } from '../../test/support/mnist';
import { InferenceEngine, ModelChangedError } from './engine';

describe('InferenceEngine', () => {
  it('loads a pretrained model, classifies, and guards long runs against a model switch', async () => {
    const engine = new InferenceEngine();
    const test = await mnistTest();
    expect(await engine.useBackend('cpu')).toBe('cpu');
    await engine.useModel('simple');
    expect(engine.activeModel).toBe('simple');

    const result = await engine.classify(test.normalized(0));
    expect(result.label).toBe(test.label(0));
    expect(result.probabilities).toHaveLength(10);
    expect(result.confidence).toBe(Math.max(...result.probabilities));
    expect(result.ms).toBeGreaterThan(0);

    const version = engine.version;
    const probabilities = await engine.predictBatch(test.take(20), version);
    expect(probabilities).toHaveLength(200);

    // A switch queued between two chunks of a run makes the next chunk fail instead of mixing models.
    const switched = engine.useModel('mlp');
    await expect(engine.predictBatch(test.take(20), version)).rejects.toBeInstanceOf(ModelChangedError);
    await switched;
    expect(engine.activeModel).toBe('mlp');
    expect(engine.version).not.toBe(version);
    const mlp = await engine.predictBatch(test.take(20), engine.version);
    expect(mlp).toHaveLength(200);
  }, 60_000);

  it('says clearly when there is no model yet', async () => {
    const engine = new InferenceEngine();
    await expect(engine.classify(new Float32Array(784))).rejects.toThrow(/No model is loaded/);
  });
});
