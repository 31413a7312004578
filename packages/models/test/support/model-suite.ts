import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MnistData, MnistSplit } from '@mnist/data';
import { confusionMatrix } from '@mnist/metrics';
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classify,
  createModel,
  evaluate,
  type EpochLog,
  initBackend,
  loadModel,
  type MnistModel,
  MnistModelError,
  modelToFiles,
  type NodeBackendPreference,
  predict,
  saveModel,
  train,
} from '../../src/node.js';
import { mnist } from './data.js';
import { serveDirectory } from './http.js';
import { weightsOf } from './weights.js';

/** Subset sizes that keep one backend's run short on 2 shared cores. */
const TRAIN_COUNT = 2000;
const TEST_COUNT = 1000;

function expectSameArrays(a: Float32Array[], b: Float32Array[]): void {
  expect(a.length).toBe(b.length);
  for (const [i, values] of a.entries()) {
    expect(Buffer.compare(Buffer.from(values.buffer), Buffer.from((b[i] as Float32Array).buffer))).toBe(0);
  }
}

function argMaxRows(probabilities: Float32Array): Uint8Array {
  const out = new Uint8Array(probabilities.length / 10);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++)
      if ((probabilities[i * 10 + c] as number) > (probabilities[i * 10 + best] as number)) best = c;
    out[i] = best;
  }
  return out;
}

async function expectModelError(
  promise: Promise<unknown>,
  code: string,
  mention: RegExp,
): Promise<MnistModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MnistModelError);
  expect((error as MnistModelError).code).toBe(code);
  expect((error as MnistModelError).message).toMatch(mention);
  return error as MnistModelError;
}

/**
 * The one model test suite, run once per backend: each `test/backend-*.test.ts` calls this with its backend.
 * Everything trains on real MNIST subsets.
 */
export function describeModelSuite(backend: Exclude<NodeBackendPreference, 'auto'>): void {
  describe(`@mnist/models on the ${backend} backend`, () => {
    let data: MnistData;
    let trainSet: MnistSplit;
    let testSet: MnistSplit;
    let workDir: string;
    /** A trained mlp shared by the read-only tests below. */
    let trained: MnistModel;
    let trainedHistory: EpochLog[];

    beforeAll(async () => {
      expect(await initBackend(backend, { log: false })).toBe(backend);
      expect(tf.getBackend()).toBe(backend);
      data = await mnist();
      trainSet = data.train.take(TRAIN_COUNT);
      testSet = data.test.take(TEST_COUNT);
      workDir = await mkdtemp(join(tmpdir(), `mnist-models-${backend}-`));
      trained = createModel('mlp', { seed: 7 });
      trainedHistory = (await train(trained, trainSet, { epochs: 2 })).history;
    }, 240_000);

    afterAll(async () => {
      trained?.layersModel.dispose();
      if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
    });

    it('builds the tutorial models exactly: layers, activations, parameter counts, output shapes', async () => {
      const simple = createModel('simple', { seed: 1 });
      const mlp = createModel('mlp', { seed: 1 });
      try {
        expect(simple.inputKind).toBe('flat');
        expect(simple.layersModel.inputs[0]?.shape).toEqual([null, 784]);
        expect(simple.layersModel.countParams()).toBe(7850);
        expect(mlp.layersModel.countParams()).toBe(89_610);
        const describeLayers = (m: MnistModel) =>
          m.layersModel.layers.map((l) => {
            const config = l.getConfig();
            return [l.getClassName(), config.units, config.activation];
          });
        expect(describeLayers(simple)).toEqual([['Dense', 10, 'sigmoid']]);
        expect(describeLayers(mlp)).toEqual([
          ['Dense', 100, 'relu'],
          ['Dense', 100, 'relu'],
          ['Dense', 10, 'sigmoid'],
        ]);
        // Keras defaults: Glorot-uniform kernels within ±sqrt(6 / (fan_in + fan_out)), zero biases.
        const [kernel, bias] = weightsOf(simple);
        const limit = Math.sqrt(6 / (784 + 10));
        expect(Math.max(...(kernel as Float32Array).map(Math.abs))).toBeLessThanOrEqual(limit);
        expect(Math.max(...(kernel as Float32Array).map(Math.abs))).toBeGreaterThan(limit * 0.9);
        expect(Array.from(bias as Float32Array)).toEqual(new Array(10).fill(0));

        const probabilities = await predict(mlp, testSet.take(5));
        expect(probabilities.length).toBe(50);
        for (let i = 0; i < 5; i++) {
          const row = probabilities.subarray(i * 10, i * 10 + 10);
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        }
        const raw = await predict(mlp, testSet.take(5), { raw: true });
        expect(raw.every((v) => v > 0 && v < 1)).toBe(true);
        expect(Array.from(argMaxRows(raw))).toEqual(Array.from(argMaxRows(probabilities)));
        expect(() => createModel('resnet' as 'mlp')).toThrow(/Unknown model 'resnet'/);
      } finally {
        simple.layersModel.dispose();
        mlp.layersModel.dispose();
      }
    });

    it('builds the cnn for 28×28×1 images; it predicts, takes a training step and round-trips through files', async () => {
      const cnn = createModel('cnn', { seed: 1 });
      const twin = createModel('cnn', { seed: 1 });
      try {
        expect(cnn.inputKind).toBe('image');
        expect(cnn.layersModel.inputs[0]?.shape).toEqual([null, 28, 28, 1]);
        expect(cnn.layersModel.outputs[0]?.shape).toEqual([null, 10]);
        expect(cnn.recipe.batchSize).toBeGreaterThan(0);
        expectSameArrays(weightsOf(cnn), weightsOf(twin));
        // The pure-JS cpu backend needs over a minute for one CNN step on 2 shared cores: it only predicts here.
        if (backend !== 'cpu') {
          const before = tf.memory().numTensors;
          const count = 4 * cnn.recipe.batchSize;
          const result = await train(cnn, trainSet.take(count), { epochs: 1 });
          expect(result.samplesTrained).toBe(count);
          expect(Number.isFinite(result.history[0]?.loss)).toBe(true);
          expect(tf.memory().numTensors).toBe(before);
          expect(weightsOf(cnn)[0]).not.toEqual(weightsOf(twin)[0]);
        }
        const probabilities = await predict(cnn, testSet.take(20));
        for (let i = 0; i < 20; i++) {
          expect(probabilities.subarray(i * 10, i * 10 + 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        }
        const loaded = await loadModel(await modelToFiles(cnn));
        expect(loaded).toMatchObject({ name: 'cnn', inputKind: 'image', recipe: cnn.recipe });
        expect(await predict(loaded, testSet.take(20))).toEqual(probabilities);
        loaded.layersModel.dispose();
      } finally {
        cnn.layersModel.dispose();
        twin.layersModel.dispose();
      }
    });

    it('gives identical weights for the same seed and different ones for another seed', () => {
      const a = createModel('mlp', { seed: 42 });
      const b = createModel('mlp', { seed: 42 });
      const c = createModel('mlp', { seed: 43 });
      try {
        expectSameArrays(weightsOf(a), weightsOf(b));
        expect(weightsOf(a)[0]).not.toEqual(weightsOf(c)[0]);
        // Each layer draws from its own stream: the two hidden kernels are not copies of one another.
        expect((weightsOf(a)[2] as Float32Array).slice(0, 100)).not.toEqual(
          (weightsOf(a)[0] as Float32Array).slice(0, 100),
        );
        expect(a.seed).toBe(42);
      } finally {
        for (const m of [a, b, c]) m.layersModel.dispose();
      }
    });

    it('trains with the tutorial recipe: loss decreases, accuracy rises, logs are complete', async () => {
      expect(trainedHistory).toHaveLength(2);
      const [first, second] = trainedHistory as [EpochLog, EpochLog];
      expect(first.epoch).toBe(1);
      expect(first.epochs).toBe(2);
      expect(first.learningRate).toBe(0.001);
      expect(second.loss).toBeLessThan(first.loss);
      expect(second.accuracy).toBeGreaterThan(first.accuracy);
      expect(first.samplesPerSecond).toBeGreaterThan(0);
      const evaluation = await evaluate(trained, testSet);
      expect(evaluation.accuracy).toBeGreaterThan(0.8);
    });

    it('reports batches at a bounded rate with running loss and accuracy, and validates on a held-out split', async () => {
      const model = createModel('simple', { seed: 3 });
      const batchLogs: { batch: number; samplesSeen: number; loss: number; accuracy: number }[] = [];
      try {
        const result = await train(model, trainSet, {
          epochs: 1,
          validationSplit: 0.25,
          batchLogIntervalMs: 0,
          onBatchEnd: (log) => {
            batchLogs.push(log);
          },
        });
        // 1,500 training samples after holding out 25%: 47 batches of 32 (the last one of 28).
        expect(batchLogs).toHaveLength(47);
        expect(batchLogs.at(-1)).toMatchObject({ batch: 47, samplesSeen: 1500 });
        expect(
          batchLogs.every((log) => Number.isFinite(log.loss) && log.accuracy >= 0 && log.accuracy <= 1),
        ).toBe(true);
        const epoch = result.history[0] as EpochLog;
        expect(epoch.loss).toBeCloseTo(batchLogs.at(-1)?.loss ?? Number.NaN, 6);
        const validation = await evaluate(model, data.train.subset(1500, 2000));
        expect(epoch.valLoss).toBeCloseTo(validation.loss, 5);
        expect(epoch.valAccuracy).toBe(validation.accuracy);
        expect(result.samplesTrained).toBe(1500);

        const quiet: number[] = [];
        await train(model, trainSet, {
          epochs: 1,
          batchLogIntervalMs: 60_000,
          onBatchEnd: (log) => void quiet.push(log.batch),
        });
        expect(quiet).toEqual([63]); // only the epoch's last batch when the interval never elapses
      } finally {
        model.layersModel.dispose();
      }
    });

    it('reshuffles with a seed: the same seed and data give the same trained weights', async () => {
      const a = createModel('simple', { seed: 5 });
      const b = createModel('simple', { seed: 5 });
      const c = createModel('simple', { seed: 5 });
      try {
        const subset = trainSet.take(320);
        await train(a, subset, { epochs: 2, seed: 11 });
        await train(b, subset, { epochs: 2, seed: 11 });
        await train(c, subset, { epochs: 2, seed: 12 });
        expectSameArrays(weightsOf(a), weightsOf(b));
        expect(weightsOf(a)[0]).not.toEqual(weightsOf(c)[0]);
      } finally {
        for (const m of [a, b, c]) m.layersModel.dispose();
      }
    });

    it('evaluates like @mnist/metrics and predict: accuracy, predicted labels, Keras loss', async () => {
      const evaluation = await evaluate(trained, testSet, { batchSize: 300 });
      expect(evaluation.count).toBe(TEST_COUNT);
      expect(evaluation.predictions).toHaveLength(TEST_COUNT);
      const matrix = confusionMatrix(testSet.labels, evaluation.predictions, { numClasses: 10 });
      expect(evaluation.accuracy).toBe(matrix.accuracy);
      const probabilities = await predict(trained, testSet);
      expect(Array.from(evaluation.predictions)).toEqual(Array.from(argMaxRows(probabilities)));

      // The loss recomputed on the host in float64 in both of Keras's forms. Keras on TensorFlow: the output
      // layer's logits, from the network's weights, then log Σ exp(z) − z_y. Keras 3 on JAX or PyTorch: the
      // outputs divided by their sum, clipped to [ε, 1 − ε], then −log.
      expect(evaluation.crossEntropy).toBe('logits');
      const logits = hostLogits(trained, testSet);
      const raw = await predict(trained, testSet, { raw: true });
      let fromLogits = 0;
      let fromProbabilities = 0;
      for (let i = 0; i < TEST_COUNT; i++) {
        const z = logits.subarray(i * 10, i * 10 + 10);
        const top = Math.max(...z);
        fromLogits +=
          top + Math.log(z.reduce((a, v) => a + Math.exp(v - top), 0)) - (z[testSet.label(i)] as number);
        const p = raw.subarray(i * 10, i * 10 + 10);
        const q = (p[testSet.label(i)] as number) / p.reduce((a, v) => a + v, 0);
        fromProbabilities -= Math.log(Math.min(Math.max(q, 1e-7), 1 - 1e-7));
      }
      expect(evaluation.loss).toBeCloseTo(fromLogits / TEST_COUNT, 4);
      const normalised = await evaluate(trained, testSet, { crossEntropy: 'probabilities' });
      expect(normalised.crossEntropy).toBe('probabilities');
      expect(normalised.loss).toBeCloseTo(fromProbabilities / TEST_COUNT, 4);
      // The two are different functions of the same outputs: a sigmoid's softmax over logits is not its sum.
      expect(Math.abs(normalised.loss - evaluation.loss)).toBeGreaterThan(0.1);
      expect(normalised.accuracy).toBe(evaluation.accuracy);
      // Probabilities are read the way the loss reads the outputs: softmax of the logits.
      const top = Math.max(...logits.subarray(0, 10));
      const total = logits.subarray(0, 10).reduce((a, v) => a + Math.exp(v - top), 0);
      probabilities.subarray(0, 10).forEach((p, k) => {
        expect(p).toBeCloseTo(Math.exp((logits[k] as number) - top) / total, 6);
      });
    });

    it('classifies one image: label, confidence, ranking', async () => {
      const image = testSet.image(0);
      const result = classify(trained, image, { topK: 4 });
      const probabilities = await predict(trained, image);
      expect(result.probabilities).toEqual(probabilities);
      expect(result.top).toHaveLength(4);
      expect(result.top[0]).toEqual({ label: result.label, p: result.confidence });
      expect(result.top.map((t) => t.p)).toEqual([...result.top.map((t) => t.p)].sort((a, b) => b - a));
      expect(result.label).toBe(argMaxRows(probabilities)[0]);
      // Floats in 0..1 and bytes 0..255 are the same picture.
      const floats = Float32Array.from(image, (v) => v / 255);
      expect(await predict(trained, floats)).toEqual(probabilities);
      expect(() => classify(trained, new Uint8Array(100))).toThrow(/784/);
      await expectModelError(predict(trained, new Float32Array(785)), 'BAD_INPUT', /784/);
    });

    it('leaves no tensors behind across train, evaluate, predict, classify, save and load', async () => {
      const model = createModel('mlp', { seed: 9 });
      const before = tf.memory().numTensors;
      await train(model, trainSet.take(256), {
        epochs: 1,
        validationSplit: 0.25,
        onBatchEnd: () => {},
        batchLogIntervalMs: 0,
      });
      await evaluate(model, testSet.take(300));
      await predict(model, testSet.take(300));
      classify(model, testSet.image(1));
      const loaded = await loadModel(await modelToFiles(model));
      loaded.layersModel.dispose();
      expect(tf.memory().numTensors).toBe(before);
      model.layersModel.dispose();
    });

    it('honours an AbortSignal between batches and resolves with the history so far', async () => {
      const model = createModel('simple', { seed: 4 });
      try {
        const controller = new AbortController();
        const before = tf.memory().numTensors;
        const result = await train(model, trainSet, {
          epochs: 3,
          signal: controller.signal,
          batchLogIntervalMs: 0,
          onBatchEnd: (log) => {
            if (log.epoch === 2 && log.batch === 5) controller.abort();
          },
        });
        expect(result.aborted).toBe(true);
        expect(result.history.map((h) => h.epoch)).toEqual([1]);
        expect(result.samplesTrained).toBe(TRAIN_COUNT + 5 * 32);
        expect(tf.memory().numTensors).toBe(before);

        // An abort from a timer lands too: the loop yields to the event loop while training.
        const timed = new AbortController();
        setTimeout(() => timed.abort(), 50);
        const slow = await train(model, data.train.take(20_000), { epochs: 5, signal: timed.signal });
        expect(slow.aborted).toBe(true);
        expect(slow.samplesTrained).toBeLessThan(100_000);

        const already = await train(model, trainSet, { signal: AbortSignal.abort() });
        expect(already).toMatchObject({ aborted: true, samplesTrained: 0, history: [] });
      } finally {
        model.layersModel.dispose();
      }
    });

    it('saves model.json + weights.bin atomically and loads them back with identical predictions', async () => {
      const directory = join(workDir, 'nested', 'mlp');
      const saved = await saveModel(trained, directory);
      expect(saved.weightBytes).toBe(89_610 * 4);
      expect((await readdir(directory)).sort()).toEqual(['model.json', 'weights.bin']);
      expect((await readdir(join(workDir, 'nested'))).filter((f) => f.includes('.tmp-'))).toEqual([]);
      const json = JSON.parse(await readFile(saved.modelJsonPath, 'utf8'));
      expect(json.format).toBe('layers-model');
      expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
      expect(json.userDefinedMetadata.mnist).toMatchObject({
        name: 'mlp',
        inputKind: 'flat',
        seed: 7,
        recipe: { batchSize: 32, learningRate: 0.001, epochs: 5 },
      });

      const expected = await predict(trained, testSet);
      const server = await serveDirectory(workDir);
      try {
        const sources = [
          directory,
          saved.modelJsonPath,
          pathToFileURL(directory).href.replace(/$/, '/model.json'),
          `${server.url}nested/mlp/model.json`,
          new URL('nested/mlp/', server.url),
          {
            modelJson: await readFile(saved.modelJsonPath, 'utf8'),
            weights: await readFile(saved.weightsPath),
          },
        ];
        for (const source of sources) {
          const loaded = await loadModel(source);
          try {
            expect(loaded).toMatchObject({ name: 'mlp', inputKind: 'flat', seed: 7 });
            expect(await predict(loaded, testSet)).toEqual(expected);
          } finally {
            loaded.layersModel.dispose();
          }
        }
        await expectModelError(loadModel(`${server.url}missing/model.json`), 'NOT_FOUND', /HTTP 404/);
      } finally {
        await server.close();
      }

      // Saving again over an existing directory replaces the pair and keeps other files. The new weights get a
      // name the old model.json does not use, so the rename of model.json alone switches models.
      await writeFile(join(directory, 'notes.txt'), 'mine');
      const simple = createModel('simple', { seed: 1 });
      const over = await saveModel(simple, directory);
      const weightsName = over.weightsPath.slice(directory.length + 1);
      expect(weightsName).toMatch(/^weights-[0-9a-f]{8}\.bin$/);
      expect((await readdir(directory)).sort()).toEqual(['model.json', 'notes.txt', weightsName].sort());
      const reloaded = await loadModel(directory);
      expect(reloaded.name).toBe('simple');
      expect(await predict(reloaded, testSet.take(10))).toEqual(await predict(simple, testSet.take(10)));
      reloaded.layersModel.dispose();

      // A target that is a file is refused, and no temporary directory is left behind.
      await writeFile(join(workDir, 'a-file'), 'x');
      await expectModelError(
        saveModel(simple, join(workDir, 'a-file')),
        'WRITE_FAILED',
        /a-file.*not a directory/,
      );
      expect((await readdir(workDir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
      simple.layersModel.dispose();
    });

    it('writes a model.json that plain @tensorflow/tfjs loads with the same predictions', async () => {
      const files = await modelToFiles(trained);
      const json = JSON.parse(JSON.stringify(files.modelJson)) as tfjs.io.ModelJSON;
      const stock = await tfjs.loadLayersModel(
        tfjs.io.fromMemory(
          tfjs.io.getModelArtifactsForJSONSync(
            json,
            tfjs.io.getWeightSpecs(json.weightsManifest),
            files.weights,
          ),
        ),
      );
      try {
        const images = testSet.take(200);
        const x = tfjs.tensor2d(
          Float32Array.from(images.images, (v) => v / 255),
          [200, 784],
        );
        const theirs = stock.predict(x) as tfjs.Tensor;
        expect(theirs.dataSync()).toEqual(await predict(trained, images, { raw: true }));
        expect(stock.getUserDefinedMetadata()).toMatchObject({ mnist: { name: 'mlp' } });
        // tfjs-layers' own sparse cross-entropy normalises sigmoid outputs as Keras 3 on JAX does (it clips once
        // more before normalising), so its evaluate agrees with our `probabilities` form.
        stock.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
        const y = tfjs.tensor1d(images.labels, 'float32');
        const theirLoss = stock.evaluate(x, y, { batchSize: 200 }) as tfjs.Scalar;
        const ours = await evaluate(trained, images, { crossEntropy: 'probabilities' });
        expect(ours.loss).toBeCloseTo(theirLoss.dataSync()[0] as number, 4);
        tfjs.dispose([x, y, theirs, theirLoss]);
      } finally {
        stock.dispose();
      }
    });

    it('refuses a model of the wrong architecture with a clear error', async () => {
      const cases = [
        { layers: [layers.dense({ inputShape: [100], units: 10 })], shape: /\[null, 100\]/ },
        {
          layers: [layers.flatten({ inputShape: [32, 32, 3] }), layers.dense({ units: 10 })],
          shape: /\[null, 32, 32, 3\]/,
        },
        { layers: [layers.dense({ inputShape: [784], units: 5 })], shape: /gives \[null, 5\]/ },
      ];
      for (const { layers: stack, shape } of cases) {
        const foreign = sequential({ layers: stack });
        const files = await modelToFiles({
          name: 'foreign',
          layersModel: foreign,
          inputKind: 'flat',
          recipe: trained.recipe,
        });
        foreign.dispose();
        const before = tf.memory().numTensors;
        const error = await expectModelError(loadModel(files), 'WRONG_ARCHITECTURE', shape);
        expect(error.message).toMatch(/\[null, 784\] or \[null, 28, 28, 1\]/);
        expect(tf.memory().numTensors).toBe(before);
      }
      // A stock model without our metadata but of the right shape loads as 'custom'.
      const stock = sequential({
        layers: [layers.dense({ inputShape: [784], units: 10, activation: 'softmax' })],
      });
      const files = await modelToFiles({
        name: 'x',
        layersModel: stock,
        inputKind: 'flat',
        recipe: trained.recipe,
      });
      delete (files.modelJson.userDefinedMetadata as Record<string, unknown>).mnist;
      const loaded = await loadModel(files);
      expect(loaded.name).toBe('custom');
      loaded.layersModel.dispose();
      stock.dispose();
    });

    it('refuses corrupt files with errors naming the file and the fix', async () => {
      const good = join(workDir, 'good');
      const saved = await saveModel(trained, good);
      const json = await readFile(saved.modelJsonPath, 'utf8');
      const weights = await readFile(saved.weightsPath);

      const badJson = join(workDir, 'bad-json');
      await mkdir(badJson);
      await writeFile(join(badJson, 'model.json'), json.slice(0, json.length / 2));
      await writeFile(join(badJson, 'weights.bin'), weights);
      const e1 = await expectModelError(
        loadModel(badJson),
        'CORRUPT_FILE',
        /not valid JSON.*save the model again/s,
      );
      expect(e1.file).toBe(join(badJson, 'model.json'));

      const truncated = join(workDir, 'truncated');
      await mkdir(truncated);
      await writeFile(join(truncated, 'model.json'), json);
      await writeFile(join(truncated, 'weights.bin'), weights.subarray(0, weights.length - 4));
      const e2 = await expectModelError(loadModel(truncated), 'CORRUPT_FILE', /358436 bytes.*358440 bytes/);
      expect(e2.file).toBe(join(truncated, 'weights.bin'));

      const notModel = join(workDir, 'not-model');
      await mkdir(notModel);
      await writeFile(join(notModel, 'model.json'), '{"hello": "world"}');
      await expectModelError(loadModel(notModel), 'CORRUPT_FILE', /not a TensorFlow\.js layers model\.json/);

      const noWeights = join(workDir, 'no-weights');
      await mkdir(noWeights);
      await writeFile(join(noWeights, 'model.json'), json);
      await expectModelError(loadModel(noWeights), 'NOT_FOUND', /weights\.bin/);

      await expectModelError(loadModel(join(workDir, 'nowhere')), 'NOT_FOUND', /No model\.json at .*nowhere/);
      await expectModelError(
        loadModel({ modelJson: json, weights: weights.subarray(8) }),
        'CORRUPT_FILE',
        /weights \(in memory\) holds 358432 bytes/,
      );
    });
  });
}

/** The mlp's output-layer logits for a set, computed on the host in float64 from its weights (dense, relu, dense). */
function hostLogits(model: MnistModel, set: MnistSplit): Float64Array {
  const weights = model.layersModel.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync() }));
  const out = new Float64Array(set.count * 10);
  for (let i = 0; i < set.count; i++) {
    let activation: ArrayLike<number> = Float64Array.from(set.image(i), (v) => Math.fround(v / 255));
    for (let layer = 0; layer < weights.length; layer += 2) {
      const kernel = weights[layer] as { shape: number[]; values: ArrayLike<number> };
      const bias = (weights[layer + 1] as { values: ArrayLike<number> }).values;
      const [inputs, units] = kernel.shape as [number, number];
      const next = new Float64Array(units);
      for (let u = 0; u < units; u++) {
        let sum = bias[u] as number;
        for (let k = 0; k < inputs; k++)
          sum += (activation[k] as number) * (kernel.values[k * units + u] as number);
        next[u] = layer + 2 < weights.length ? Math.max(0, sum) : sum;
      }
      activation = next;
    }
    out.set(activation, i * 10);
  }
  return out;
}
