// Models that Keras 3 made and saved (test/fixtures/keras/from-keras, by scripts/keras/make_keras_fixtures.py)
// load here and evaluate on the 10,000 MNIST test images to Keras's own figures, recorded by the same script:
// accuracy within one image, loss within 1e-3. No Python runs here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, initBackend, loadModel, type MnistModel } from '../src/node.js';
import { mnist } from './support/data.js';
import { fixtureBytes, KERAS_FIXTURES, kerasFigures } from './support/keras.js';

const figures = kerasFigures();
const loaded: MnistModel[] = [];

beforeAll(async () => {
  await initBackend('wasm', { log: false });
});

afterAll(() => {
  for (const model of loaded) model.layersModel.dispose();
});

describe('loadModel(".keras") reads what Keras 3 saved', () => {
  it.each(Object.entries(figures.fromKeras))("%s evaluates to Keras's figures", async (name, keras) => {
    const data = await mnist();
    const model = await loadModel(`${KERAS_FIXTURES}${keras.file}`);
    loaded.push(model);
    expect(model.name).toBe(name);
    expect(model.inputKind).toBe(keras.input === 'flat' ? 'flat' : 'image');
    expect(model.recipe.learningRate).toBeCloseTo(0.001, 9);
    const ours = await evaluate(model, data.test);
    expect(Math.abs(Math.round(ours.accuracy * ours.count) - keras.correct)).toBeLessThanOrEqual(1);
    expect(Math.abs(ours.loss - keras.loss)).toBeLessThan(1e-3);
  });

  it('reads the same file from bytes in memory, as a browser file drop gives them', async () => {
    const data = await mnist();
    const bytes = fixtureBytes(figures.fromKeras.convnet?.file as string);
    const model = await loadModel({ keras: bytes, name: 'dropped.keras' });
    loaded.push(model);
    const ours = await evaluate(model, data.test.take(500));
    const fromPath = await loadModel(`${KERAS_FIXTURES}${figures.fromKeras.convnet?.file}`);
    loaded.push(fromPath);
    expect(ours.predictions).toEqual((await evaluate(fromPath, data.test.take(500))).predictions);
    const asBuffer = await loadModel({ keras: bytes.slice().buffer });
    loaded.push(asBuffer);
    expect(asBuffer.layersModel.countParams()).toBe(model.layersModel.countParams());
  });
});
