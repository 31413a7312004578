// Temperature scaling and honest verdicts: the pure math on synthetic models, then the model plumbing (model.json
// metadata, predict, classify) on a real tfjs backend.
import { seededRandom } from '@mnist/data';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyTemperature,
  classify,
  createModel,
  DEFAULT_VERDICT_THRESHOLDS,
  MIN_READABLE,
  describeVerdict,
  evaluate,
  fitModelTemperature,
  fitTemperature,
  initBackend,
  loadModel,
  type MnistModel,
  MnistModelError,
  modelToFiles,
  predict,
  TEMPERATURE_RANGE,
  verdictFor,
  withTemperature,
} from '../node.js';

/** n samples of k-class logits; labels drawn from softmax(logits), the model reporting softmax(logits · sharpen). */
function syntheticModel(n: number, k: number, sharpen: number, seed: number) {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const probabilities = new Float32Array(n * k);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const logits = Array.from({ length: k }, () => 1.5 * normal());
    const softmax = (scale: number) => {
      const e = logits.map((z) => Math.exp(scale * z));
      const total = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / total);
    };
    const truth = softmax(1);
    let u = random();
    let label = 0;
    while (label < k - 1 && u >= (truth[label] as number)) u -= truth[label++] as number;
    labels[i] = label;
    probabilities.set(softmax(sharpen), i * k);
  }
  return { probabilities, labels };
}

describe('temperature scaling', () => {
  it('recovers the temperature of a model over-confident by a known factor', () => {
    const { probabilities, labels } = syntheticModel(8000, 10, 2.5, 1);
    const fit = fitTemperature(probabilities, labels);
    expect(fit.temperature).toBeGreaterThan(2.3);
    expect(fit.temperature).toBeLessThan(2.7);
    expect(fit.nllAfter).toBeLessThan(fit.nllBefore);
  });

  it('leaves a calibrated model at about 1, and fixes an under-confident one', () => {
    const calibrated = syntheticModel(8000, 10, 1, 2);
    expect(fitTemperature(calibrated.probabilities, calibrated.labels).temperature).toBeCloseTo(1, 1);
    const timid = syntheticModel(8000, 3, 0.5, 3);
    expect(fitTemperature(timid.probabilities, timid.labels, 3).temperature).toBeCloseTo(0.5, 1);
  });

  it('stops at the edge of its range when every answer is right', () => {
    const probabilities = Float32Array.from([0.6, 0.4, 0.3, 0.7]);
    expect(fitTemperature(probabilities, [0, 1], 2).temperature).toBeCloseTo(TEMPERATURE_RANGE.min, 6);
  });

  it('applies T as p^(1/T) normalised, keeping the winner', () => {
    const row = Float32Array.from([0.5, 0.3, 0.2]);
    const cooled = applyTemperature(row, 0.5, 3);
    const squares = [0.25, 0.09, 0.04];
    squares.forEach((v, c) => {
      expect(cooled[c]).toBeCloseTo(v / 0.38, 6);
    });
    const unchanged = applyTemperature(Float32Array.from([0.4, 0.2, 0.2]), 1, 3);
    expect(Array.from(unchanged)).toEqual([0.5, 0.25, 0.25].map(Math.fround));
    const hot = applyTemperature(row, 100, 3);
    expect(hot[0]).toBeGreaterThan(hot[1] as number);
    expect(Math.max(...hot) - Math.min(...hot)).toBeLessThan(0.01);
  });

  it('rejects bad temperatures, rows and labels', () => {
    expect(() => applyTemperature([0.5, 0.5], 0, 2)).toThrow(MnistModelError);
    expect(() => applyTemperature([0.5, 0.5], Number.NaN, 2)).toThrow(/temperature/);
    expect(() => fitTemperature([0.5, 0.5, 0.5], [0], 2)).toThrow(/rows of 2/);
    expect(() => fitTemperature([0.5, 0.5], [2], 2)).toThrow(/labels\[0\]/);
  });
});

describe('verdicts', () => {
  it('is confident when the top digit is probable and well ahead', () => {
    const v = verdictFor([0.01, 0.9, 0.05, 0.04, 0, 0, 0, 0, 0, 0]);
    expect(v).toEqual({ kind: 'confident', label: 1, confidence: 0.9 });
    expect(describeVerdict(v)).toBe('1');
  });

  it('says "4 or 9?" when the top two are close', () => {
    const p = [0, 0, 0, 0, 0.55, 0, 0, 0, 0, 0.45];
    const v = verdictFor(p, { minConfidence: 0.5, minMargin: 0.2 });
    expect(v.kind).toBe('uncertain');
    expect(v.kind === 'uncertain' && [v.label, v.alternative, v.reason]).toEqual([4, 9, 'close-call']);
    expect(describeVerdict(v)).toBe('4 or 9?');
  });

  it('says so when the top probability is low, and breaks ties towards the lower digit', () => {
    const v = verdictFor([0.3, 0.3, 0.2, 0.2, 0, 0, 0, 0, 0, 0]);
    expect(v).toMatchObject({ kind: 'uncertain', label: 0, alternative: 1, reason: 'low-confidence' });
    expect(v.kind === 'uncertain' && v.margin).toBe(0);
  });

  it('says it cannot read a flat or near-flat output instead of naming two digits', () => {
    // Ten bars of about 10%: what simple gave a small 6 drawn in a corner.
    const flat = [0.11, 0.1, 0.1, 0.1, 0.09, 0.1, 0.1, 0.1, 0.1, 0.1];
    const v = verdictFor(flat);
    expect(v).toMatchObject({ kind: 'uncertain', label: 0, alternative: 1, reason: 'unreadable' });
    expect(describeVerdict(v)).toBe('?');
    // Just at the limit it names the two digits again; the limit can be moved.
    const edge = [MIN_READABLE, 0.2, 0.15, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0];
    expect(verdictFor(edge)).toMatchObject({ reason: 'low-confidence' });
    expect(verdictFor(edge, { ...DEFAULT_VERDICT_THRESHOLDS, minReadable: 0.3 })).toMatchObject({
      reason: 'unreadable',
    });
    // Thresholds written before minReadable existed get the default.
    expect(verdictFor(flat, { minConfidence: 0.85, minMargin: 0.8 })).toMatchObject({ reason: 'unreadable' });
  });

  it('uses the documented default thresholds and rejects NaN', () => {
    expect(DEFAULT_VERDICT_THRESHOLDS.minConfidence).toBeGreaterThan(0.5);
    const justBelow = DEFAULT_VERDICT_THRESHOLDS.minConfidence - 0.01;
    expect(verdictFor([justBelow, 1 - justBelow]).kind).toBe('uncertain');
    expect(() => verdictFor([Number.NaN, 0.5])).toThrow(MnistModelError);
  });
});

/** Seeded noise images with labels: enough to exercise the plumbing, no data set to load. */
function noiseImages(count: number, seed: number) {
  const random = seededRandom(seed);
  const images = Uint8Array.from({ length: count * 784 }, () =>
    random() < 0.2 ? Math.floor(random() * 256) : 0,
  );
  const labels = Uint8Array.from({ length: count }, () => Math.floor(random() * 10));
  return { count, images, labels, image: (i: number) => images.subarray(i * 784, (i + 1) * 784) };
}

describe('a model with a temperature', () => {
  let model: MnistModel;
  beforeAll(async () => {
    await initBackend('cpu', { log: false });
    model = createModel('simple', { seed: 3 });
  });

  it('has it applied by predict and classify', async () => {
    const test = noiseImages(20, 5);
    const images = test.images;
    const plain = await predict(model, images);
    const hot = withTemperature(model, 3);
    const scaled = await predict(hot, images);
    const expected = applyTemperature(plain, 3);
    for (let i = 0; i < scaled.length; i++) expect(scaled[i]).toBeCloseTo(expected[i] as number, 5);
    const single = classify(hot, test.image(0));
    expect(single.probabilities[single.label]).toBeCloseTo(expected[single.label] as number, 5);
    expect(single.verdict.kind).toBe(verdictFor(single.probabilities).kind);
    expect(Array.from(await predict(hot, images, { raw: true }))).toEqual(
      Array.from(await predict(model, images, { raw: true })),
    );
  });

  it('keeps it through model.json, and a model without one loads as before', async () => {
    const files = await modelToFiles(withTemperature(model, 1.7));
    expect(files.modelJson.userDefinedMetadata?.mnist).toMatchObject({ temperature: 1.7 });
    const loaded = await loadModel({ modelJson: files.modelJson, weights: files.weights });
    expect(loaded.temperature).toBe(1.7);
    loaded.layersModel.dispose();
    const plain = await modelToFiles(model);
    expect(plain.modelJson.userDefinedMetadata?.mnist).not.toHaveProperty('temperature');
    const again = await loadModel({ modelJson: plain.modelJson, weights: plain.weights });
    expect(again.temperature).toBeUndefined();
    again.layersModel.dispose();
  });

  it('refuses a model.json whose temperature is not a positive number', async () => {
    const files = await modelToFiles(model);
    // 1e-45 is finite and above 0, yet it divides every logit into ±Infinity: out of range like 1e6.
    for (const bad of [-1, 0, 'hot', null, 1e-45, 1e6]) {
      const modelJson = structuredClone(files.modelJson);
      (modelJson.userDefinedMetadata as { mnist: Record<string, unknown> }).mnist.temperature = bad;
      await expect(loadModel({ modelJson, weights: files.weights })).rejects.toMatchObject({
        code: 'CORRUPT_FILE',
        message: expect.stringMatching(/temperature/),
      });
    }
    expect(() => withTemperature(model, 0)).toThrow(MnistModelError);
    expect(() => withTemperature(model, 1e-45)).toThrow(/a number from 0\.05 to 100/);
  });

  it('gives finite probabilities for huge logits at the smallest temperature', async () => {
    const huge = createModel('simple', { seed: 3 });
    // Zero kernel, so every image's logits are the bias: ±3e38, which divided by 0.05 overflow to ±Infinity.
    const output = huge.layersModel.layers[huge.layersModel.layers.length - 1];
    const [kernel] = output?.getWeights() ?? [];
    const logits = Float32Array.from({ length: 10 }, (_, i) => (i === 3 ? 3e38 : i === 7 ? -3e38 : 1e38));
    output?.setWeights([tf.zerosLike(kernel as tf.Tensor), tf.tensor1d(logits)]);
    const sharp = withTemperature(huge, TEMPERATURE_RANGE.min);
    const rows = await predict(sharp, noiseImages(2, 4).images);
    expect(Array.from(rows.subarray(0, 10))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(classify(sharp, noiseImages(1, 5).image(0)).label).toBe(3);
    huge.layersModel.dispose();
  });

  it("evaluate's probabilities are predict's, at the temperature, with predictions their argmax", async () => {
    const set = noiseImages(30, 8);
    const hot = withTemperature(model, 2.5);
    const evaluated = await evaluate(hot, set, { probabilities: true });
    const predicted = await predict(hot, set.images);
    expect(evaluated.probabilities).toHaveLength(30 * 10);
    for (let i = 0; i < predicted.length; i++) {
      expect(evaluated.probabilities?.[i]).toBeCloseTo(predicted[i] as number, 6);
    }
    for (let n = 0; n < 30; n++) {
      const row = Array.from(predicted.subarray(n * 10, n * 10 + 10));
      expect(evaluated.predictions[n]).toBe(row.indexOf(Math.max(...row)));
    }
    expect((await evaluate(hot, set)).probabilities).toBeUndefined();
  });

  it('is checked even when set on the model object by hand', async () => {
    const image = noiseImages(1, 9).image(0);
    for (const temperature of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
      const bad = { ...model, temperature };
      expect(() => classify(bad, image)).toThrow(
        /model\.temperature: a temperature must be a number from 0\.05 to 100/,
      );
      await expect(predict(bad, image)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    }
  });

  it('fits it from a held-out set, ignoring any temperature already set', async () => {
    const heldOut = noiseImages(500, 6);
    const fit = await fitModelTemperature(withTemperature(model, 5), heldOut);
    const again = await fitModelTemperature(model, heldOut);
    expect(fit).toEqual(again);
    expect(fit.nllAfter).toBeLessThanOrEqual(fit.nllBefore);
  });
});
