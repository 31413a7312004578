// `--save x.keras` and `--model x.keras`: the CLI saves Keras 3 files and evaluates and predicts with them, its own
// and Keras's (a file Keras saved, from @mnist/models' fixtures, scored to Keras's own figures).
import { readdir, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@mnist/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/events/types';
import { mnistDir, repoRoot, runCli } from './helpers';

const kerasFixtures = join(repoRoot, 'packages/models/test/fixtures/keras');
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-keras-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const events = (stdout: string): RunEvent[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);

describe('mnist train --save x.keras, then mnist evaluate and predict --model x.keras', () => {
  const file = () => join(scratch, 'out', 'simple.keras');
  let trained: RunEvent[] = [];

  it('saves one .keras file and nothing else, and says where', async () => {
    const run = await runCli([
      'train',
      '--json',
      '--model',
      'simple',
      '--epochs',
      '1',
      '--limit',
      '2000',
      '--test-limit',
      '1000',
      '--save',
      file(),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    trained = events(run.stdout);
    expect(trained.find((e) => e.type === 'saved')).toEqual({ type: 'saved', model: 'simple', dir: file() });
    expect(await readdir(join(scratch, 'out'))).toEqual(['simple.keras']);
    const bytes = await readFile(file());
    expect([...bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]); // a zip archive
  });

  it('evaluates the saved .keras file exactly as the run did', async () => {
    const run = await runCli(['evaluate', '--model', file(), '--json', '--limit', '1000']);
    expect(run.code).toBe(0);
    const evaluated = events(run.stdout).find((e) => e.type === 'evaluation') as {
      accuracy: number;
      confusion: unknown;
    };
    const atTraining = trained.find((e) => e.type === 'evaluation') as {
      accuracy: number;
      confusion: unknown;
    };
    expect(evaluated.accuracy).toBe(atTraining.accuracy);
    expect(evaluated.confusion).toEqual(atTraining.confusion);
  });

  it('predicts with it', async () => {
    const data = await loadMnist({ dir: mnistDir, download: false });
    const image = join(scratch, 'first-test-image.pgm');
    await writeFile(image, Buffer.concat([Buffer.from('P5\n28 28\n255\n'), Buffer.from(data.test.image(0))]));
    const run = await runCli(['predict', '--model', file(), image]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`first-test-image\\.pgm.*\\b${data.test.labels[0]}\\b`));
  });
});

describe('mnist evaluate --model FILE.keras on a file Keras saved', () => {
  it("scores keras.io's convnet to Keras's own figures", async () => {
    const figures = JSON.parse(await readFile(join(kerasFixtures, 'figures.json'), 'utf8'));
    const keras = figures.fromKeras.convnet as { correct: number; file: string };
    const run = await runCli(['evaluate', '--model', join(kerasFixtures, keras.file), '--json']);
    expect(run.code).toBe(0);
    const evaluated = events(run.stdout).find((e) => e.type === 'evaluation') as {
      accuracy: number;
      count: number;
    };
    expect(evaluated.count).toBe(10000);
    expect(Math.abs(Math.round(evaluated.accuracy * 10000) - keras.correct)).toBeLessThanOrEqual(1);
  });

  it('says what is wrong with a file it refuses, naming it', async () => {
    const run = await runCli(['evaluate', '--model', join(kerasFixtures, 'refused/lambda.keras')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/lambda\.keras holds a Lambda layer/);
  });
});

describe('--save x.keras is checked before training', () => {
  it('refuses one .keras file for several models, and a directory named like one', async () => {
    const several = await runCli(['train', '--model', 'simple,mlp', '--save', join(scratch, 'both.keras')]);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/--save .*both\.keras holds one model, but 2 are trained \(simple, mlp\)/);
    await mkdir(join(scratch, 'taken.keras'));
    const directory = await runCli(['train', '--model', 'simple', '--save', join(scratch, 'taken.keras')]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toMatch(/taken\.keras is a directory; give a file name/);
  });
});

describe("mnist train --init x.keras --no-shuffle follows Keras's own run", () => {
  it("the tutorial's mlp from Keras's initial weights: each epoch's loss within 2% and accuracy within 0.5 points", async () => {
    const parity = join(repoRoot, 'packages/models/test/fixtures/keras-parity');
    const trajectory = JSON.parse(await readFile(join(parity, 'trajectory.json'), 'utf8'));
    const keras = trajectory.runs.logits.models.mlp as {
      epochs: { loss: number; accuracy: number }[];
      testAccuracy: number;
    };
    const run = await runCli([
      'train',
      '--json',
      '--init',
      join(parity, 'mlp-initial.keras'),
      '--no-shuffle',
      '--limit',
      String(trajectory.trainImages),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const all = events(run.stdout);
    expect(all.find((e) => e.type === 'model')).toMatchObject({
      crossEntropy: 'logits',
      epochs: 5,
      batchSize: 32,
    });
    const epochs = all.flatMap((e) => (e.type === 'epoch' ? [e] : []));
    expect(epochs).toHaveLength(keras.epochs.length);
    epochs.forEach((epoch, i) => {
      const theirs = keras.epochs[i] as { loss: number; accuracy: number };
      expect(Math.abs(epoch.loss - theirs.loss) / theirs.loss).toBeLessThan(0.02);
      expect(Math.abs(epoch.accuracy - theirs.accuracy)).toBeLessThan(0.005);
    });
    const evaluation = all.find((e) => e.type === 'evaluation') as { accuracy: number };
    expect(Math.abs(evaluation.accuracy - keras.testAccuracy)).toBeLessThan(0.005);
  });
});
