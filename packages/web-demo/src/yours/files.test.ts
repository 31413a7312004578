// Model files in and out of the page (files.ts, downloads.ts), with real files written by @mnist/models' saveModel
// (what `mnist train --save DIR` writes) and Keras's own .keras files, read back by loadModel.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createModel,
  initBackend,
  loadModel,
  MODEL_JSON,
  saveModel,
  WEIGHTS_BIN,
} from '@mnist/models/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kerasBytes } from '../../test/support/keras';
import { exportFileName, filesForDownload } from './downloads';
import { MAX_MODEL_FILE_BYTES, ModelFilesError, type PickedModel, readModelFiles } from './files';

/** The picked pair, or a failure for a .keras result where a pair was expected. */
function tfjsPair(picked: PickedModel) {
  if (picked.format !== 'tfjs') throw new Error(`expected model.json + weights, got ${picked.format}`);
  return picked;
}

let dir: string;
let json: File;
let weights: File;

beforeAll(async () => {
  await initBackend('cpu', { log: false });
  dir = await mkdtemp(join(tmpdir(), 'web-demo-model-'));
  const model = createModel('mlp', { seed: 3 });
  await saveModel(model, dir);
  model.layersModel.dispose();
  json = new File([await readFile(join(dir, MODEL_JSON))], MODEL_JSON);
  weights = new File([await readFile(join(dir, WEIGHTS_BIN))], WEIGHTS_BIN);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('model files', () => {
  it('reads the pair saved by saveModel, in any order, into a model loadModel accepts', async () => {
    const files = tfjsPair(await readModelFiles([weights, json]));
    expect(files.fileName).toBe(MODEL_JSON);
    const model = await loadModel(files);
    expect(model.name).toBe('mlp');
    const reference = await loadModel(dir);
    const a = model.layersModel.getWeights().map((w) => Array.from(w.dataSync()));
    const b = reference.layersModel.getWeights().map((w) => Array.from(w.dataSync()));
    expect(a).toEqual(b);
    model.layersModel.dispose();
    reference.layersModel.dispose();
  });

  it('writes a downloadable pair that loadModel reads back', async () => {
    const { modelJson, weights: bytes } = tfjsPair(await readModelFiles([json, weights]));
    const [jsonOut, weightsOut] = filesForDownload(
      {
        ...modelJson,
        weightsManifest: modelJson.weightsManifest.map((g) => ({ ...g, paths: ['group1-shard1of1'] })),
      },
      bytes,
    );
    if (!jsonOut || !weightsOut) throw new Error('expected two files');
    expect(jsonOut.name).toBe(MODEL_JSON);
    expect(weightsOut.name).toBe(WEIGHTS_BIN);
    const text = await jsonOut.blob.text();
    expect(JSON.parse(text).weightsManifest[0].paths).toEqual([WEIGHTS_BIN]);
    const model = await loadModel({
      modelJson: text,
      weights: new Uint8Array(await weightsOut.blob.arrayBuffer()),
    });
    expect(model.name).toBe('mlp');
    model.layersModel.dispose();
  });

  it('says what is missing or wrong instead of failing obscurely', async () => {
    const refused = (files: File[]) => expect(readModelFiles(files)).rejects.toBeInstanceOf(ModelFilesError);
    await refused([weights]);
    await expect(readModelFiles([weights])).rejects.toThrow(/No model\.json among the chosen files/);
    await expect(readModelFiles([json])).rejects.toThrow(
      /keeps its weights in weights\.bin, which was not chosen/,
    );
    await expect(readModelFiles([json, json, weights])).rejects.toThrow(/Choose one model\.json, not 2/);
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])], 'model.json');
    await expect(readModelFiles([png, weights])).rejects.toThrow(/model\.json is not JSON/);
    const other = new File([JSON.stringify({ name: 'package', version: '1.0.0' })], 'package.json');
    await expect(readModelFiles([other])).rejects.toThrow(/not a TensorFlow\.js model/);
    const huge = new File([new Uint8Array(MAX_MODEL_FILE_BYTES + 1)], WEIGHTS_BIN);
    await expect(readModelFiles([json, huge])).rejects.toThrow(/too big/);
    // A truncated weights file pairs up, and loadModel then names the mismatch.
    const cut = new File([(await weights.arrayBuffer()).slice(0, 1000)], WEIGHTS_BIN);
    await expect(loadModel(tfjsPair(await readModelFiles([json, cut])))).rejects.toThrow(/holds 1000 bytes/);
  });

  it('takes one .keras file on its own, whose bytes loadModel({ keras }) reads', async () => {
    const bytes = await kerasBytes('from-keras/mlp.keras');
    const picked = await readModelFiles([new File([bytes], 'Tutorial MLP.KERAS')]);
    expect(picked.format).toBe('keras');
    if (picked.format !== 'keras') return;
    expect(picked.fileName).toBe('Tutorial MLP.KERAS');
    expect(picked.keras).toEqual(bytes);
    const model = await loadModel({ keras: picked.keras, name: picked.fileName });
    expect(model.name).toBe('mlp');
    model.layersModel.dispose();
  });

  it('refuses a .keras file chosen with other files, and a .keras file too big to be a digit model', async () => {
    const keras = new File([await kerasBytes('from-keras/simple.keras')], 'simple.keras');
    await expect(readModelFiles([keras, json, weights])).rejects.toThrow(
      /A \.keras file holds the whole model: choose simple\.keras on its own \(3 files were chosen: simple\.keras, model\.json, weights\.bin\)/,
    );
    await expect(readModelFiles([keras, keras])).rejects.toBeInstanceOf(ModelFilesError);
    const huge = new File([new Uint8Array(MAX_MODEL_FILE_BYTES + 1)], 'big.keras');
    await expect(readModelFiles([huge])).rejects.toThrow(/big\.keras is 67 MB: too big/);
    // Nothing but model files: the message names both ways of loading one.
    await expect(readModelFiles([new File(['x'], 'notes.txt')])).rejects.toThrow(/or one Keras \.keras file/);
  });

  it('names downloads after the model, safely', () => {
    expect(exportFileName('mlp', 'keras')).toBe('mnist-mlp.keras');
    expect(exportFileName('cnn', 'onnx')).toBe('mnist-cnn.onnx');
    expect(exportFileName('../my model', 'keras')).toBe('mnist-my-model.keras');
    expect(exportFileName('//', 'onnx')).toBe('mnist-model.onnx');
  });
});
