import { MnistDataError } from '@mnist/data';
import { TUTORIAL_RECIPE } from '@mnist/models';
import { describe, expect, it } from 'vitest';
import { describeFailure, isFromWorker, ProtocolError, parseRequest, workerCrashed } from './protocol';
import { defaultSettings, parseSettings, settingProblem, TRAIN_IMAGES_TOTAL } from './settings';

const settings = {
  model: 'simple',
  epochs: 1,
  batchSize: 32,
  learningRate: 0.001,
  seed: 42,
  trainImages: 1000,
};
const train = { type: 'train', job: 3, settings, dataUrl: 'https://example.test/mnist/data/mnist/' };

describe('training settings', () => {
  it('default to the model’s recipe, the seed of its shipped weights and the whole training set', () => {
    expect(defaultSettings('mlp')).toEqual({
      model: 'mlp',
      epochs: TUTORIAL_RECIPE.epochs,
      batchSize: TUTORIAL_RECIPE.batchSize,
      learningRate: TUTORIAL_RECIPE.learningRate,
      seed: 42,
      trainImages: TRAIN_IMAGES_TOTAL,
    });
    expect(TRAIN_IMAGES_TOTAL).toBe(60000);
    expect(defaultSettings('cnn').batchSize).not.toBe(0);
  });

  it('say in words what is wrong with a value', () => {
    expect(settingProblem('epochs', 5)).toBeUndefined();
    expect(settingProblem('epochs', 0)).toBe('Choose between 1 and 50.');
    expect(settingProblem('epochs', 2.5)).toBe('Enter a whole number.');
    expect(settingProblem('learningRate', Number.NaN)).toBe('Enter a number.');
    expect(settingProblem('learningRate', 0.5)).toBeUndefined();
    expect(settingProblem('learningRate', 2)).toMatch(/between 0\.000001 and 1/);
    expect(settingProblem('trainImages', 60001)).toBe('Choose between 1 and 60,000.');
    expect(settingProblem('seed', -1)).toMatch(/between 0 and/);
  });

  it('parse untrusted input into a clean copy, naming the first bad field', () => {
    const parsed = parseSettings({ ...settings, extra: 'ignored' });
    expect(parsed).toEqual(settings);
    expect(() => parseSettings({ ...settings, model: 'resnet' })).toThrow(/Unknown model 'resnet'/);
    expect(() => parseSettings({ ...settings, batchSize: '32' })).toThrow(/batchSize: Enter a number/);
    expect(() => parseSettings({ ...settings, epochs: Number.POSITIVE_INFINITY })).toThrow(/epochs/);
    expect(() => parseSettings(null)).toThrow(/missing/);
  });
});

describe('worker protocol: requests', () => {
  it('accepts a train request and returns a clean copy', () => {
    const request = parseRequest({
      ...train,
      wasmPaths: { 'tfjs-backend-wasm.wasm': 'https://example.test/a.wasm' },
      threads: 2,
      junk: true,
    });
    expect(request).toEqual({
      ...train,
      settings,
      wasmPaths: { 'tfjs-backend-wasm.wasm': 'https://example.test/a.wasm' },
      threads: 2,
    });
    expect(parseRequest({ type: 'stop', job: 3, settings })).toEqual({ type: 'stop', job: 3 });
  });

  it('refuses anything else with a ProtocolError that says why', () => {
    const refused = (data: unknown) => () => parseRequest(data);
    expect(refused('train')).toThrow(ProtocolError);
    expect(refused({ type: 'fit', job: 1 })).toThrow(/Not a training request: an object with type "fit"/);
    expect(refused({ type: 'stop' })).toThrow(/needs a job number/);
    expect(refused({ type: 'stop', job: -1 })).toThrow(/needs a job number/);
    expect(refused({ ...train, settings: { ...settings, epochs: 0 } })).toThrow(
      /epochs: Choose between 1 and 50/,
    );
    expect(refused({ ...train, dataUrl: 'data/mnist/' })).toThrow(/absolute http\(s\) URL/);
    expect(refused({ ...train, dataUrl: 'javascript:alert(1)' })).toThrow(/absolute http\(s\) URL/);
    expect(refused({ ...train, threads: 0 })).toThrow(/threads/);
    expect(refused({ ...train, threads: 1.5 })).toThrow(/threads/);
    expect(refused({ ...train, wasmPaths: { a: 1 } })).toThrow(/wasmPaths/);
  });
});

describe('worker protocol: replies', () => {
  it('recognises the worker’s messages and nothing else', () => {
    expect(isFromWorker({ type: 'epoch', job: 1, log: {} })).toBe(true);
    expect(isFromWorker({ type: 'cancelled', job: 0 })).toBe(true);
    expect(isFromWorker({ type: 'epoch' })).toBe(false);
    expect(isFromWorker({ type: 'hello', job: 1 })).toBe(false);
    expect(isFromWorker('epoch')).toBe(false);
    expect(isFromWorker(null)).toBe(false);
  });

  it('words failures for a visitor and says whether trying again can help', () => {
    const cut = new MnistDataError(
      'DOWNLOAD_FAILED',
      'Could not fetch train-images-idx3-ubyte.gz: network error',
    );
    expect(describeFailure(cut)).toMatchObject({ kind: 'download', retry: true });
    expect(describeFailure(cut).message).toMatch(/connection failed or was cut.*press Train to try again/);
    expect(describeFailure(cut, false).message).toMatch(/You are offline.*press Train again/);
    expect(describeFailure(cut).detail).toMatch(/network error/);

    const missing = new MnistDataError('DOWNLOAD_FAILED', 'x.gz answered HTTP 404 Not Found');
    expect(describeFailure(missing).message).toMatch(/missing the MNIST images/);

    const damaged = new MnistDataError('CHECKSUM_MISMATCH', 'SHA-256 differs');
    expect(describeFailure(damaged)).toMatchObject({ kind: 'damaged-data', retry: true });
    expect(describeFailure(damaged).message).toMatch(/damaged.*Press Train to download it again/);

    for (const oom of [
      new RangeError('Array buffer allocation failed'),
      new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'),
      new Error('Aborted(OOM)'.replace('OOM', 'Cannot allocate Wasm memory')),
    ]) {
      expect(describeFailure(oom).kind, oom.message).toBe('memory');
    }
    expect(describeFailure(new ProtocolError('epochs: Enter a number.'))).toMatchObject({
      kind: 'settings',
      retry: false,
    });
    expect(describeFailure(new Error('kernel exploded'))).toMatchObject({
      kind: 'internal',
      message: 'Training stopped with an error: kernel exploded',
    });
    expect(workerCrashed('script error')).toMatchObject({
      kind: 'crash',
      retry: true,
      detail: 'script error',
    });
    expect(workerCrashed('x').message).toMatch(/The page still works/);
  });
});
