// Numbers from outside that used to flow through silently: NaN/∞ pixels answered "0 at 10%", labels such as 200
// or 3.7 trained to NaN, a model with NaN weights evaluated at 8% as if normal, an empty set evaluated to NaN.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classify,
  createModel,
  evaluate,
  initBackend,
  type LabelledImages,
  loadModel,
  type MnistModel,
  MnistModelError,
  predict,
  saveModel,
  train,
} from '../src/node.js';

let model: MnistModel;
let work: string;

beforeAll(async () => {
  await initBackend('cpu', { log: false });
  model = createModel('simple', { seed: 5 });
  work = await mkdtemp(join(tmpdir(), 'mnist-bad-numbers-'));
});

afterAll(async () => {
  model?.layersModel.dispose();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

function badInput(run: () => unknown): MnistModelError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MnistModelError);
  expect((caught as MnistModelError).code).toBe('BAD_INPUT');
  return caught as MnistModelError;
}

async function rejected(promise: Promise<unknown>, code: string): Promise<MnistModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MnistModelError);
  expect((error as MnistModelError).code).toBe(code);
  return error as MnistModelError;
}

describe('pixels', () => {
  it('refuses NaN, ±Infinity and out-of-range floats, naming the image, row and column', async () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1e30, 1.5, -0.01]) {
      const image = new Float32Array(784).fill(0.25);
      image[3 * 28 + 7] = value;
      const single = badInput(() => classify(model, image));
      expect(single.message).toMatch(
        new RegExp(
          `Image 0, pixel 91 \\(row 3, column 7\\) is ${String(Math.fround(value)).replace('+', '\\+')}`,
        ),
      );
      const batch = new Float32Array(784 * 3).fill(0);
      batch[2 * 784 + 5] = value;
      const error = await rejected(predict(model, batch), 'BAD_INPUT');
      expect(error.message).toMatch(/Image 2, pixel 5 \(row 0, column 5\)/);
      expect(error.message).toMatch(/numbers in 0\.\.1/);
    }
    // The edges of the range are fine.
    const edges = new Float32Array(784);
    edges[0] = 1;
    expect(classify(model, edges).probabilities).toHaveLength(10);
  });

  it('refuses typed arrays it would misread (Float64Array, Int32Array) instead of dividing them by 255', async () => {
    const error = await rejected(
      predict(model, new Float64Array(784) as unknown as Float32Array),
      'BAD_INPUT',
    );
    expect(error.message).toMatch(/got a Float64Array/);
    expect(badInput(() => classify(model, new Int32Array(784) as unknown as Uint8Array)).message).toMatch(
      /bytes 0\.\.255|classify/,
    );
  });
});

describe('labels', () => {
  const images = new Uint8Array(784 * 4);
  const cases: [unknown, number, string][] = [
    [[1, 2, 200, 3], 2, '200'],
    [[10, 0, 0, 0], 0, '10'],
    [Int8Array.from([0, -1, 0, 0]), 1, '-1'],
    [Float32Array.from([0, 0, 0, 3.7]), 3, '3.7'],
    [[1.5, 0, 0, 0], 0, '1.5'],
    [[0, Number.NaN, 0, 0], 1, 'NaN'],
  ];
  it('train and evaluate refuse labels that are not whole digits 0–9, naming the first bad one', async () => {
    for (const [labels, index, shown] of cases) {
      const set = { count: 4, images, labels } as unknown as LabelledImages;
      for (const run of [() => train(model, set, { epochs: 1 }), () => evaluate(model, set)]) {
        const error = await rejected(run(), 'BAD_INPUT');
        expect(error.message).toMatch(new RegExp(`label ${index} is ${shown.replace('.', '\\.')}`));
        expect(error.message).toMatch(/whole digits 0–9/);
      }
    }
  });

  it('train and evaluate use the set as they checked it, however it answers when read again', async () => {
    const count = 64;
    const images = Uint8Array.from({ length: count * 784 }, (_, i) => (i * 37) % 256);
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
    const plain = { count, images, labels };
    // Good labels on the first read, 200s after; a count that grows by one image's worth on every read.
    const shifty = (): LabelledImages => {
      let labelReads = 0;
      let countReads = 0;
      return new Proxy(plain, {
        get: (target, key) =>
          key === 'labels'
            ? labelReads++ === 0
              ? labels
              : new Uint8Array(count).fill(200)
            : key === 'count'
              ? count + countReads++ * 10
              : Reflect.get(target, key),
      });
    };
    const twin = createModel('simple', { seed: 7 });
    const subject = createModel('simple', { seed: 7 });
    try {
      const expected = await train(twin, plain, { epochs: 1, seed: 1 });
      const result = await train(subject, shifty(), { epochs: 1, seed: 1 });
      expect(result.samplesTrained).toBe(count);
      expect(result.history.map((epoch) => epoch.loss)).toEqual(expected.history.map((epoch) => epoch.loss));
      const measured = await evaluate(subject, shifty());
      expect(measured.count).toBe(count);
      expect(measured.loss).toBe((await evaluate(subject, plain)).loss);
    } finally {
      twin.layersModel.dispose();
      subject.layersModel.dispose();
    }
  });

  it('refuses float images in a labelled set instead of treating them as bytes', async () => {
    const set = {
      count: 1,
      images: new Float32Array(784),
      labels: Uint8Array.of(3),
    } as unknown as LabelledImages;
    expect((await rejected(evaluate(model, set), 'BAD_INPUT')).message).toMatch(
      /bytes 0\.\.255.*Float32Array/,
    );
  });

  it('evaluate on an empty set says so instead of returning NaN', async () => {
    const empty = { count: 0, images: new Uint8Array(0), labels: new Uint8Array(0) };
    expect((await rejected(evaluate(model, empty), 'BAD_INPUT')).message).toMatch(/the set is empty/);
  });
});

describe('weights', () => {
  it('refuses to load a model whose weights hold NaN or ±Infinity, naming the weight and index', async () => {
    const saved = await saveModel(model, join(work, 'nan'));
    const bytes = new Uint8Array(await readFile(saved.weightsPath));
    const view = new DataView(bytes.buffer);
    for (const [value, at] of [
      [Number.NaN, 17],
      [Number.POSITIVE_INFINITY, 7849],
    ] as const) {
      const copy = new DataView(bytes.slice().buffer);
      copy.setFloat32(at * 4, value, true);
      await writeFile(saved.weightsPath, new Uint8Array(copy.buffer));
      const error = await rejected(loadModel(join(work, 'nan')), 'CORRUPT_FILE');
      // simple's kernel is 784×10 = 7,840 values, then 10 biases.
      const [weight, index] = at < 7840 ? ['kernel', at] : ['bias', at - 7840];
      expect(error.message).toMatch(new RegExp(`weight '[^']*${weight}' at index ${index}`));
      expect(error.file).toBe(saved.weightsPath);
    }
    expect(view.byteLength).toBe(7850 * 4);
  });

  it('refuses uint8-quantised weights whose scale or min decode to non-finite values', async () => {
    const saved = await saveModel(model, join(work, 'quantised'));
    const json = JSON.parse(await readFile(saved.modelJsonPath, 'utf8'));
    const floats = new Float32Array((await readFile(saved.weightsPath)).buffer.slice(0));
    // The kernel (7,840 values) as uint8 bytes, the bias (10 floats) as it was.
    const kernelBytes = Uint8Array.from({ length: 7840 }, (_, i) => i % 256);
    const weights = new Uint8Array(7840 + 40);
    weights.set(kernelBytes);
    weights.set(new Uint8Array(floats.buffer, 7840 * 4, 40), 7840);
    await writeFile(saved.weightsPath, weights);
    const kernel = json.weightsManifest[0].weights[0];
    for (const [scale, min] of [
      [1e39, 0],
      [0.01, Number.POSITIVE_INFINITY],
      [2e36, 0],
      ['0.01', 0],
    ] as const) {
      kernel.quantization = { dtype: 'uint8', scale, min };
      await writeFile(saved.modelJsonPath, JSON.stringify(json));
      const error = await rejected(loadModel(join(work, 'quantised')), 'CORRUPT_FILE');
      expect(error.message).toMatch(
        new RegExp(`weight '${kernel.name}' a uint8 quantisation .* non-finite values`),
      );
      expect(error.file).toBe(saved.modelJsonPath);
    }
    // A sane quantisation loads and decodes to q·scale + min.
    kernel.quantization = { dtype: 'uint8', scale: 0.01, min: -1 };
    await writeFile(saved.modelJsonPath, JSON.stringify(json));
    const loaded = await loadModel(join(work, 'quantised'));
    const decoded = loaded.layersModel.getWeights()[0]?.dataSync() as Float32Array;
    expect(decoded[3]).toBeCloseTo(3 * 0.01 - 1, 6);
    expect(decoded[300]).toBeCloseTo((300 % 256) * 0.01 - 1, 6);
    loaded.layersModel.dispose();
  });
});
