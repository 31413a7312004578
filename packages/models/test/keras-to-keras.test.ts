// What saveModel(model, "x.keras") writes, checked against Keras 3 itself without running Python: the committed
// files in test/fixtures/keras/to-keras were written by scripts/keras/export-keras-fixtures.ts and then opened by
// Keras (`keras.saving.load_model`, scripts/keras/make_keras_fixtures.py check), which recorded what it saw and its
// evaluate figures. Here the same models are exported again and must give those very files' content (config and
// every weight array), and those files must load back here as the same models, evaluating to Keras's figures.
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORTED_MODELS } from '../scripts/keras/exported-models.js';
import { evaluate, initBackend, loadModel, type MnistModel, modelToKeras } from '../src/node.js';
import { mnist } from './support/data.js';
import { fixtureBytes, h5Contents, KERAS_FIXTURES, kerasFigures } from './support/keras.js';

const figures = kerasFigures();
const made: MnistModel[] = [];

beforeAll(async () => {
  await initBackend('wasm', { log: false });
});

afterAll(() => {
  for (const model of made) model.layersModel.dispose();
});

/** Where two value lists first differ (`index: ours vs theirs`), or undefined when they are equal. */
function firstDifference(ours: ArrayLike<unknown> | undefined, theirs: ArrayLike<unknown>): string | undefined {
  if (ours === undefined) return 'missing';
  if (ours.length !== theirs.length) return `length ${ours.length} vs ${theirs.length}`;
  for (let i = 0; i < ours.length; i++) {
    if (!Object.is(ours[i], theirs[i])) return `${i}: ${String(ours[i])} vs ${String(theirs[i])}`;
  }
  return undefined;
}

function entries(bytes: Uint8Array): {
  config: unknown;
  metadata: Record<string, unknown>;
  weights: Uint8Array;
} {
  const files = unzipSync(bytes);
  const json = (name: string) => JSON.parse(new TextDecoder().decode(files[name]));
  return {
    config: json('config.json'),
    metadata: json('metadata.json'),
    weights: files['model.weights.h5'] as Uint8Array,
  };
}

describe('saveModel(model, "x.keras") writes what Keras 3 opens, compiled as the tutorial compiles', () => {
  it('covers every exported model in the fixtures', () => {
    expect(Object.keys(figures.toKeras).sort()).toEqual(EXPORTED_MODELS.map((m) => m.name).sort());
  });

  it.each(EXPORTED_MODELS.map((m) => [m.name, m] as const))('%s', async (name, exported) => {
    const keras = figures.toKeras[name];
    if (keras === undefined) throw new Error(`no Keras figures for ${name}`);
    const data = await mnist();
    const model = await exported.build(data, KERAS_FIXTURES);
    made.push(model);

    // What Keras said when it opened the committed file.
    expect(keras.warnings).toEqual([]);
    expect(keras.compiled).toBe(true);
    expect(keras.optimizer).toBe('Adam');
    expect(keras.learningRate).toBeCloseTo(model.recipe.learningRate, 9);
    expect(keras.loss).toBe('sparse_categorical_crossentropy');
    expect(keras.metrics).toEqual(['accuracy']);
    expect(keras.input).toBe(model.inputKind);

    // The same model exported again: the same config, metadata and weight arrays as the file Keras accepted.
    const committed = entries(fixtureBytes(keras.file));
    const fresh = entries(await modelToKeras(model));
    expect(fresh.config).toEqual(committed.config);
    expect(fresh.metadata.mnist).toEqual(committed.metadata.mnist);
    expect(fresh.metadata.keras_version).toBe(committed.metadata.keras_version);
    const [freshH5, committedH5] = await Promise.all([
      h5Contents(fresh.weights),
      h5Contents(committed.weights),
    ]);
    expect(Object.keys(freshH5.datasets).sort()).toEqual(Object.keys(committedH5.datasets).sort());
    for (const [path, entry] of Object.entries(committedH5.datasets)) {
      expect(freshH5.datasets[path]?.shape, path).toEqual(entry.shape);
      // The first value that differs, not a diff of 78,400 floats (which took vitest minutes to print).
      expect(firstDifference(freshH5.datasets[path]?.values, entry.values), path).toBeUndefined();
    }
    expect(freshH5.names).toEqual(committedH5.names);

    // The committed file loads back as the same model and evaluates to Keras's figures.
    const loaded = await loadModel(`${KERAS_FIXTURES}${keras.file}`);
    made.push(loaded);
    expect({ ...loaded, layersModel: undefined }).toEqual({ ...model, layersModel: undefined });
    const ours = await evaluate(loaded, data.test);
    const original = await evaluate(model, data.test.take(1000));
    expect(ours.predictions.subarray(0, 1000)).toEqual(original.predictions);
    expect(Math.abs(Math.round(ours.accuracy * ours.count) - keras.evaluate.correct)).toBeLessThanOrEqual(1);
    expect(Math.abs(ours.loss - keras.evaluate.loss)).toBeLessThan(1e-3);
  });
});
