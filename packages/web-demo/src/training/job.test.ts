// The training worker's logic, run in Node exactly as the worker runs it: real MNIST files over real HTTP on
// 127.0.0.1, @mnist/models' own train() on the wasm backend, messages in and out through the protocol.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadMnist } from '@mnist/data';
import { confusionMatrix } from '@mnist/metrics';
import { createModel, evaluate, loadModel, train } from '@mnist/models/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataFiles } from '../../build/mnistData';
import { mnistDir, mnistTest } from '../../test/support/mnist';
import { type StaticServer, startStaticServer } from '@mnist/test-support';
import { dataUrl } from '../data/location';
import { TrainingHost } from './job';
import type { FromWorker, TrainOutcome } from './protocol';
import type { TrainSettings } from './settings';

let site: string;
let server: StaticServer;
let url: string;

beforeAll(async () => {
  process.env.MNIST_DATA_DIR ??= await mnistDir();
  const { files } = await buildDataFiles();
  site = await mkdtemp(join(tmpdir(), 'web-demo-training-'));
  for (const f of files) {
    await mkdir(dirname(join(site, f.fileName)), { recursive: true });
    await writeFile(join(site, f.fileName), f.bytes);
  }
  server = await startStaticServer({ root: site, basePath: '/demo/' });
  url = dataUrl(server.url);
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

/** A host whose replies are collected; `until` resolves on the first reply of a kind. */
function host() {
  const messages: FromWorker[] = [];
  const waiters: { type: string; resolve: (m: FromWorker) => void }[] = [];
  const h = new TrainingHost((message) => {
    messages.push(message);
    for (const w of waiters.filter((w) => w.type === message.type)) w.resolve(message);
  });
  const until = (type: FromWorker['type']) =>
    new Promise<FromWorker>((resolve) => {
      const seen = messages.find((m) => m.type === type);
      if (seen) resolve(seen);
      else waiters.push({ type, resolve });
    });
  return { host: h, messages, until };
}

const SUBSET: TrainSettings = {
  model: 'simple',
  epochs: 2,
  batchSize: 32,
  learningRate: 0.001,
  seed: 7,
  trainImages: 1500,
};

describe('training worker', () => {
  it('downloads, trains, evaluates and hands back a model equal to Node’s train() with the same seed', async () => {
    const { host: h, messages } = host();
    await h.handle({ type: 'train', job: 1, settings: SUBSET, dataUrl: url });

    const kinds = [...new Set(messages.map((m) => m.type))];
    expect(kinds).toEqual(['download', 'started', 'batch', 'epoch', 'evaluating', 'done']);
    expect(messages.every((m) => m.job === 1)).toBe(true);
    // Byte progress for the four files, each ending at its full size.
    const downloads = messages.flatMap((m) => (m.type === 'download' ? [m.progress] : []));
    const files = [...new Set(downloads.map((d) => d.file))];
    expect(files.sort()).toEqual([
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
    ]);
    for (const file of files) {
      const last = downloads.filter((d) => d.file === file).at(-1);
      expect(last?.bytesDone).toBe(last?.bytesTotal);
    }
    const started = messages.find((m) => m.type === 'started');
    expect(started).toMatchObject({ batchesPerEpoch: Math.ceil(1500 / 32), runtime: { backend: 'wasm' } });
    const epochs = messages.flatMap((m) => (m.type === 'epoch' ? [m.log] : []));
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    const evaluating = messages.flatMap((m) => (m.type === 'evaluating' ? [m.done] : []));
    expect(evaluating.at(-1)).toBe(10000);

    const done = messages.at(-1) as Extract<FromWorker, { type: 'done' }>;
    const outcome: TrainOutcome = done.outcome;
    expect(outcome.stopped).toBe(false);
    expect(outcome.history).toEqual(epochs);
    expect(outcome.samplesTrained).toBe(3000);

    // The model comes back as the standard pair, readable by loadModel.
    const model = await loadModel({ modelJson: outcome.modelJson, weights: outcome.weights });
    expect(model.name).toBe('simple');
    const test = await mnistTest();
    expect(Buffer.from(outcome.test.labels).equals(Buffer.from(test.labels))).toBe(true);
    const pageAccuracy = confusionMatrix(outcome.test.labels, outcome.test.predicted, {
      numClasses: 10,
    }).accuracy;
    expect((await evaluate(model, test)).accuracy).toBeCloseTo(pageAccuracy, 10);

    // Node's train() on the same subset, seed and backend gives the same weights, hence the same predictions.
    const data = await loadMnist({ dir: await mnistDir(), download: false });
    const reference = createModel('simple', { seed: SUBSET.seed });
    await train(reference, data.train.subset(0, SUBSET.trainImages), {
      epochs: SUBSET.epochs,
      batchSize: SUBSET.batchSize,
      learningRate: SUBSET.learningRate,
      seed: SUBSET.seed,
    });
    expect((await evaluate(reference, test)).accuracy).toBe(pageAccuracy);
    const ours = model.layersModel.getWeights().map((w) => Array.from(w.dataSync()));
    const theirs = reference.layersModel.getWeights().map((w) => Array.from(w.dataSync()));
    ours.forEach((values, i) => {
      const other = theirs[i] ?? [];
      const worst = values.reduce((m, v, j) => Math.max(m, Math.abs(v - (other[j] ?? Number.NaN))), 0);
      expect(worst, `weight tensor ${i}`).toBeLessThan(1e-5);
    });
    model.layersModel.dispose();
    reference.layersModel.dispose();
  }, 240_000);

  it('stops between two batches and still returns the partial model, evaluated', async () => {
    const { host: h, messages, until } = host();
    const finished = h.handle({ type: 'train', job: 2, settings: { ...SUBSET, epochs: 3 }, dataUrl: url });
    await until('batch');
    // A second job while one runs is refused, the running one carries on.
    await h.handle({ type: 'train', job: 3, settings: SUBSET, dataUrl: url });
    expect(messages.find((m) => m.job === 3)).toMatchObject({ type: 'failed', failure: { kind: 'busy' } });
    // A stop for another job number changes nothing; the right one stops it.
    await h.handle({ type: 'stop', job: 99 });
    await h.handle({ type: 'stop', job: 2 });
    await finished;
    const done = messages.filter((m) => m.job === 2).at(-1);
    expect(done?.type).toBe('done');
    const outcome = (done as Extract<FromWorker, { type: 'done' }>).outcome;
    expect(outcome.stopped).toBe(true);
    expect(outcome.samplesTrained).toBeGreaterThan(0);
    expect(outcome.samplesTrained).toBeLessThan(3 * SUBSET.trainImages);
    expect(outcome.test.predicted).toHaveLength(10000);
    const model = await loadModel({ modelJson: outcome.modelJson, weights: outcome.weights });
    model.layersModel.dispose();
  }, 240_000);

  it('answers a stop during the download with “cancelled”', async () => {
    const { host: h, messages } = host();
    const finished = h.handle({ type: 'train', job: 4, settings: SUBSET, dataUrl: url });
    await h.handle({ type: 'stop', job: 4 });
    await finished;
    expect(messages.map((m) => m.type)).toEqual(['cancelled']);
  }, 60_000);

  it('reports bad requests and missing data as failures a visitor can read', async () => {
    const { host: h, messages } = host();
    await h.handle({ type: 'train', job: 5, settings: { ...SUBSET, batchSize: 0 }, dataUrl: url });
    await h.handle('hello');
    await h.handle({ type: 'train', job: 6, settings: SUBSET, dataUrl: `${server.url}nothing/` });
    expect(messages[0]).toMatchObject({
      type: 'failed',
      job: 5,
      failure: { kind: 'settings', retry: false },
    });
    expect(messages[0]?.type === 'failed' && messages[0].failure.message).toMatch(
      /batchSize: Choose between/,
    );
    expect(messages[1]).toMatchObject({ type: 'failed', job: -1, failure: { kind: 'settings' } });
    expect(messages[2]).toMatchObject({ type: 'failed', job: 6, failure: { kind: 'download', retry: true } });
    expect(messages[2]?.type === 'failed' && messages[2].failure.message).toMatch(/missing the MNIST images/);
  }, 60_000);
});
