// Keras models in model.json form: what the tensorflowjs converter writes for a Keras 2 model (tfjs's own layout,
// a `model_config` inside `modelTopology`), and a Keras 3 `model.to_json()` document, on its own (no weights: a
// message saying what it is and what to do) or with its weights (converted as a .keras file's config is).
// Fixtures by scripts/keras/make_keras_fixtures.py, from the same trained `simple` as from-keras/simple.keras.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, initBackend, loadModel, type MnistModel, MnistModelError } from '../src/node.js';
import { mnist } from './support/data.js';
import { fixtureBytes, KERAS_FIXTURES, kerasFigures } from './support/keras.js';

const simple = kerasFigures().fromKeras.simple;
const toJson = new TextDecoder().decode(fixtureBytes('simple.to_json.json'));
const loaded: MnistModel[] = [];
let work: string;

beforeAll(async () => {
  await initBackend('wasm', { log: false });
  work = await mkdtemp(join(tmpdir(), 'mnist-keras-json-'));
});

afterAll(async () => {
  for (const model of loaded) model.layersModel.dispose();
  await rm(work, { recursive: true, force: true });
});

async function matchesKeras(model: MnistModel): Promise<void> {
  loaded.push(model);
  const ours = await evaluate(model, (await mnist()).test);
  expect(Math.abs(Math.round(ours.accuracy * ours.count) - (simple?.correct ?? -10))).toBeLessThanOrEqual(1);
  expect(Math.abs(ours.loss - (simple?.loss ?? Number.NaN))).toBeLessThan(1e-3);
}

async function refusal(promise: Promise<unknown>): Promise<MnistModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MnistModelError);
  return error as MnistModelError;
}

describe('Keras models as model.json', () => {
  it("loads the tensorflowjs converter's layout of a Keras 2 model (model_config, group1-shard1of1.bin)", async () => {
    await matchesKeras(await loadModel(join(KERAS_FIXTURES, 'tfjs-converter')));
  });

  it('says what a Keras 3 model.to_json() document is, and what to do, when it comes without weights', async () => {
    const dir = join(work, 'to-json');
    await writeFile(join(`${dir}.json`), toJson);
    const fromFile = await refusal(loadModel(`${dir}.json`));
    expect(fromFile.code).toBe('UNSUPPORTED');
    expect(fromFile.message).toMatch(
      /is a Keras 3 model config without weights \(what model\.to_json\(\) writes\)/,
    );
    expect(fromFile.message).toMatch(/model\.save\("model\.keras"\)/);
    const inMemory = await refusal(loadModel({ modelJson: toJson, weights: new Uint8Array(0) }));
    expect(inMemory.message).toMatch(/Keras 3 model config without weights/);
  });

  it('loads a Keras 3 model.to_json() document given with its weights (model.get_weights(), float32)', async () => {
    await matchesKeras(
      await loadModel({ modelJson: toJson, weights: fixtureBytes('simple.get_weights.bin') }),
    );
    const short = await refusal(
      loadModel({ modelJson: toJson, weights: fixtureBytes('simple.get_weights.bin').subarray(4) }),
    );
    expect(short.code).toBe('CORRUPT_FILE');
    expect(short.message).toMatch(
      /holds 31396 bytes but the Keras 3 config .* needs 31400 \(7850 float32 values/,
    );
  });

  it('loads a Keras 3 config given as the topology of a tfjs weights manifest', async () => {
    const converter = JSON.parse(new TextDecoder().decode(fixtureBytes('tfjs-converter/model.json')));
    const modelJson = { ...converter, modelTopology: JSON.parse(toJson) };
    // Keras 3 names the layer as in the .keras file; the manifest names tfjs weights after it.
    const layer = modelJson.modelTopology.config.layers[1].config.name as string;
    for (const spec of modelJson.weightsManifest[0].weights) spec.name = spec.name.replace(/^dense/, layer);
    await matchesKeras(
      await loadModel({ modelJson, weights: fixtureBytes('tfjs-converter/group1-shard1of1.bin') }),
    );
  });
});
