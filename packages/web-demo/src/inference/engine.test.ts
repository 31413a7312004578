// The engine with the real pretrained models on tfjs's cpu backend (the page's code path, minus the browser), and
// Keras's own .keras files (@mnist/models' fixtures) in and out.
import { classify, loadModel, type MnistModel, MnistModelError, toOnnx } from '@mnist/models/browser';
import { describe, expect, it } from 'vitest';
import { kerasBytes } from '../../test/support/keras';
import { mnistTest } from '../../test/support/mnist';
import { InferenceEngine, ModelChangedError } from './engine';
import { YOURS } from './names';

const weightsOf = (model: MnistModel) => model.layersModel.getWeights().map((w) => Array.from(w.dataSync()));

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

  it('reads a Keras-made .keras file into the pair the page keeps, and writes it back as .keras and ONNX', async () => {
    const engine = new InferenceEngine();
    const test = await mnistTest();
    await engine.useBackend('cpu');
    await engine.useModel('simple');
    const bytes = await kerasBytes('from-keras/convnet.keras');
    const reference = await loadModel({ keras: bytes, name: 'convnet.keras' });
    try {
      const read = await engine.readKeras(bytes, 'convnet.keras');
      expect(read.name).toBe('convnet');
      // Reading changes nothing the canvas uses.
      expect(engine.activeModel).toBe('simple');
      const files = { modelJson: read.modelJson, weights: read.weights };
      await engine.setYours(files);
      await engine.useModel(YOURS);
      for (const index of [0, 1, 2, 3]) {
        const result = await engine.classify(test.normalized(index));
        expect(result.label).toBe(classify(reference, test.normalized(index)).label);
        expect(Array.from(result.probabilities)).toEqual(
          Array.from(classify(reference, test.normalized(index)).probabilities),
        );
      }

      const keras = await engine.exportModel(files, 'keras');
      const back = await loadModel({ keras, name: 'mnist-convnet.keras' });
      expect(back.name).toBe('convnet');
      expect(weightsOf(back)).toEqual(weightsOf(reference));
      back.layersModel.dispose();
      // ONNX: the bytes toOnnx gives the model loaded straight from the .keras file.
      expect(await engine.exportModel(files, 'onnx')).toEqual(await toOnnx(reference));
    } finally {
      reference.layersModel.dispose();
    }
  }, 60_000);

  it('refuses a damaged or unsafe .keras file with the library’s message, and a layer ONNX cannot convert', async () => {
    const engine = new InferenceEngine();
    await engine.useBackend('cpu');
    await engine.useModel('mlp');
    const version = engine.version;
    const bytes = await kerasBytes('from-keras/mlp.keras');
    const cut = engine.readKeras(bytes.subarray(0, bytes.length >> 1), 'mlp.keras');
    await expect(cut).rejects.toBeInstanceOf(MnistModelError);
    await expect(cut).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
    await expect(cut).rejects.toThrow(/mlp\.keras/);
    await expect(engine.readKeras(await kerasBytes('refused/lambda.keras'), 'lambda.keras')).rejects.toThrow(
      /Lambda/,
    );
    expect(engine.activeModel).toBe('mlp');
    expect(engine.version).toBe(version);

    const kinds = await engine.readKeras(
      await kerasBytes('from-keras/layer_kinds.keras'),
      'layer_kinds.keras',
    );
    await expect(engine.exportModel(kinds, 'onnx')).rejects.toThrow(
      /ZeroPadding2D, which has no ONNX conversion/,
    );
    expect((await engine.exportModel(kinds, 'keras')).length).toBeGreaterThan(0);
  }, 60_000);
});
