import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist, MnistDataError, MnistSplit, seededPermutation, trainValidationSplit } from './node.js';
import { caught, MNIST_FACTS, mnistGzDir } from '../test/helpers.js';

describe('MnistSplit on the real test set', () => {
  let test: MnistSplit;
  beforeAll(async () => {
    ({ test } = await loadMnist({ dir: mnistGzDir(), sources: ['dir'] }));
  });

  it('image(i) is a 784-byte view, label(i) the label', () => {
    const image = test.image(3);
    expect(image.length).toBe(784);
    expect(image.buffer).toBe(test.images.buffer);
    expect(image.byteOffset - test.images.byteOffset).toBe(3 * 784);
    expect(test.label(0)).toBe(7);
    expect(test.label(1)).toBe(2);
    expect(test.label(2)).toBe(1);
  });

  it('normalized(i) is pixel / 255', () => {
    const floats = test.normalized(0);
    const bytes = test.image(0);
    expect(floats).toBeInstanceOf(Float32Array);
    for (let p = 0; p < 784; p++) expect(floats[p]).toBeCloseTo((bytes[p] as number) / 255, 6);
  });

  it('subset and take share memory; select copies in the given order', () => {
    const part = test.subset(100, 150);
    expect(part.count).toBe(50);
    expect(part.images.buffer).toBe(test.images.buffer);
    expect(Array.from(part.image(0))).toEqual(Array.from(test.image(100)));
    expect(test.take(10).labels).toEqual(test.labels.subarray(0, 10));
    const picked = test.select([5, 0, 5]);
    expect(picked.count).toBe(3);
    expect(picked.images.buffer).not.toBe(test.images.buffer);
    expect(Array.from(picked.labels)).toEqual([test.label(5), test.label(0), test.label(5)]);
    expect(Array.from(picked.image(1))).toEqual(Array.from(test.image(0)));
  });

  it('bad indices and ranges are BAD_INPUT errors', async () => {
    for (const fn of [
      () => test.image(10000),
      () => test.label(-1),
      () => test.subset(5, 2),
      () => test.select([1.5]),
    ]) {
      const e = await caught(fn);
      expect(e).toBeInstanceOf(MnistDataError);
      expect((e as MnistDataError).code).toBe('BAD_INPUT');
    }
  });

  it('shuffled(seed) is a deterministic permutation keeping image-label pairs', () => {
    const a = test.shuffled(42);
    const b = test.shuffled(42);
    const c = test.shuffled(43);
    // Buffer.compare: deep equality of 7.8 MB arrays element by element is very slow in expect().
    expect(Buffer.compare(a.labels, b.labels)).toBe(0);
    expect(Buffer.compare(a.images, b.images)).toBe(0);
    expect(Buffer.compare(a.labels, c.labels)).not.toBe(0);
    expect(a.labelCounts()).toEqual(MNIST_FACTS.testHistogram);
    const order = seededPermutation(test.count, 42);
    for (const k of [0, 1, 9999]) {
      const i = order[k] as number;
      expect(a.label(k)).toBe(test.label(i));
      expect(Array.from(a.image(k))).toEqual(Array.from(test.image(i)));
    }
  });

  it('batches cover every example once, normalised, with labels and indices', () => {
    const seen = new Uint8Array(test.count);
    let batches = 0;
    let lastSize = 0;
    for (const batch of test.batches(32, { shuffle: true, seed: 1 })) {
      batches++;
      lastSize = batch.size;
      expect(batch.x.length).toBe(batch.size * 784);
      for (let k = 0; k < batch.size; k++) {
        const i = batch.indices[k] as number;
        seen[i] = (seen[i] as number) + 1;
        expect(batch.y[k]).toBe(test.label(i));
      }
      const i0 = batch.indices[0] as number;
      expect(batch.x[200]).toBeCloseTo((test.image(i0)[200] as number) / 255, 6);
    }
    expect(batches).toBe(Math.ceil(10000 / 32));
    expect(lastSize).toBe(10000 % 32);
    expect(seen.every((v) => v === 1)).toBe(true);
    expect([...test.batches(32, { dropRemainder: true })].length).toBe(Math.floor(10000 / 32));
    const first = test.batches(4).next().value;
    expect(Array.from(first?.indices ?? [])).toEqual([0, 1, 2, 3]);
  });
});

describe('trainValidationSplit', () => {
  const split = new MnistSplit(
    Uint8Array.from({ length: 100 * 4 }, (_, i) => Math.floor(i / 4)),
    Uint8Array.from({ length: 100 }, (_, i) => i % 10),
    2,
    2,
  );

  it('without a seed takes the last examples (Keras validation_split), as views', () => {
    const { train, validation } = trainValidationSplit(split, { validation: 0.1 });
    expect(train.count).toBe(90);
    expect(validation.count).toBe(10);
    expect(validation.image(0)[0]).toBe(90);
    expect(validation.images.buffer).toBe(split.images.buffer);
  });

  it('with a seed takes a reproducible random sample; the parts are disjoint and complete', () => {
    const a = trainValidationSplit(split, { validation: 25, seed: 3 });
    const b = trainValidationSplit(split, { validation: 25, seed: 3 });
    expect(a.validation.count).toBe(25);
    expect(a.validation.images).toEqual(b.validation.images);
    const ids = [
      ...a.train.images.filter((_, i) => i % 4 === 0),
      ...a.validation.images.filter((_, i) => i % 4 === 0),
    ];
    expect(new Set(ids).size).toBe(100);
  });

  it('rejects impossible sizes', async () => {
    for (const validation of [-1, 1.5, 101, Number.NaN]) {
      expect(((await caught(() => trainValidationSplit(split, { validation }))) as MnistDataError).code).toBe(
        'BAD_INPUT',
      );
    }
  });
});
