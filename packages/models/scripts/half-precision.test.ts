// Half-precision storage of shipped weights: tfjs reads it back as the nearest float16 of every weight, the model
// answers as before within half precision's error, and loadModel's checks still hold.
import { beforeAll, describe, expect, it } from 'vitest';
import { toHalfPrecision } from './half-precision.js';
import { createModel, initBackend, loadModel, predict } from '../src/node.js';
import { modelToFiles } from '../src/io/artifacts.js';
import { mnist } from '../test/support/data.js';

beforeAll(async () => {
  await initBackend('cpu', { log: false });
});

describe('toHalfPrecision', () => {
  it('stores every float32 weight in two bytes that tfjs expands to the nearest half-precision value', async () => {
    const model = createModel('cnn', { seed: 5 });
    const files = await modelToFiles(model);
    const half = toHalfPrecision(files.modelJson, files.weights);
    expect(half.weights.byteLength).toBe(files.weights.byteLength / 2);
    const specs = (half.modelJson.weightsManifest[0]?.weights ?? []).map((s) => s.quantization?.dtype);
    expect(specs).toEqual(new Array(model.layersModel.getWeights().length).fill('float16'));

    const loaded = await loadModel({ modelJson: half.modelJson, weights: half.weights });
    const before = model.layersModel.getWeights().map((w) => w.dataSync() as Float32Array);
    const after = loaded.layersModel.getWeights().map((w) => w.dataSync() as Float32Array);
    expect(after.map((w) => w.length)).toEqual(before.map((w) => w.length));
    let largest = 0;
    before.forEach((values, k) => {
      const back = after[k] as Float32Array;
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        // Half precision keeps 11 significant bits: relative error at most 2^-11 for normal values
        // (Glorot weights of this model are far above float16's smallest normal, 6.1e-5, or exactly 0).
        const error = Math.abs((back[i] as number) - v);
        expect(error).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25);
        largest = Math.max(largest, error);
      }
    });
    expect(largest).toBeGreaterThan(0);
    // Stored again, the half-precision values are already exact: the bytes do not change.
    const reloaded = await modelToFiles(loaded);
    const again = toHalfPrecision(reloaded.modelJson, reloaded.weights);
    expect(new Uint8Array(again.weights)).toEqual(new Uint8Array(half.weights));
    model.layersModel.dispose();
    loaded.layersModel.dispose();
  });

  it('gives the same answers on real digits as the float32 weights, to within half precision', async () => {
    const data = await mnist();
    const model = createModel('mlp', { seed: 2 });
    const files = await modelToFiles(model);
    const half = toHalfPrecision(files.modelJson, files.weights);
    const loaded = await loadModel({ modelJson: half.modelJson, weights: half.weights });
    const images = data.test.take(200);
    const p32 = await predict(model, images);
    const p16 = await predict(loaded, images);
    let maxDiff = 0;
    for (let i = 0; i < p32.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs((p32[i] as number) - (p16[i] as number)));
    expect(maxDiff).toBeLessThan(0.01);
    model.layersModel.dispose();
    loaded.layersModel.dispose();
  });

  it('refuses a manifest that does not cover the weights', async () => {
    const model = createModel('simple', { seed: 1 });
    const files = await modelToFiles(model);
    const longer = new Uint8Array(files.weights.byteLength + 4);
    longer.set(new Uint8Array(files.weights));
    expect(() => toHalfPrecision(files.modelJson, longer.buffer)).toThrow(/covers 31400 bytes of 31404/);
    model.layersModel.dispose();
  });
});
