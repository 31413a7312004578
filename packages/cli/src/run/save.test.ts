import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModel, initBackend, type MnistModel, saveModel } from '@mnist/models/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarise } from '../commands/train';
import { checkDirectoryDestination } from '../files/destinations';
import { saveTrainedModel } from './save';

// Issue 25: a stop during the final save leaves nothing written and is said; a folder another run saved into
// during training is not overwritten; a save refused because another one is in progress says so.

let work: string;
let model: MnistModel;
let other: MnistModel;
beforeAll(async () => {
  await initBackend('cpu', { log: false });
  work = await mkdtemp(join(tmpdir(), 'mnist-cli-save-'));
  model = createModel('simple', { seed: 1 });
  other = createModel('simple', { seed: 2 });
});
afterAll(async () => {
  model?.layersModel.dispose();
  other?.layersModel.dispose();
  await rm(work, { recursive: true, force: true });
});

describe('saveTrainedModel', () => {
  it('a stop before the commit point writes nothing and answers stopped', async () => {
    const target = join(work, 'stopped');
    const checked = await checkDirectoryDestination(target, `--save ${target}`);
    const stop = new AbortController();
    stop.abort();
    expect(await saveTrainedModel(model, 'simple', target, { signal: stop.signal, checked })).toBe('stopped');
    expect(await readdir(work)).not.toContain('stopped');
  });

  it('does not overwrite a model another run saved into the folder during training', async () => {
    const target = join(work, 'raced');
    const checked = await checkDirectoryDestination(target, `--save ${target}`);
    expect(checked).toEqual({ kind: 'new' });
    await saveModel(other, target);
    const theirs = await readFile(join(target, 'model.json'), 'utf8');
    const event = await saveTrainedModel(model, 'simple', target, { checked });
    if (event === 'stopped') throw new Error('not stopped');
    expect(event.requestedDir).toBe(target);
    expect(event.error).toBe(
      `${target} changed during training: it now holds a model saved there by another run (another mnist train ` +
        '--save to the same folder?); this model was not written over it.',
    );
    expect(await readFile(join(target, 'model.json'), 'utf8')).toBe(theirs);
    expect((await readdir(event.dir)).sort()).toEqual(['model.json', 'weights.bin']);
    await rm(event.dir, { recursive: true });
    // The folder as it is now (the other run's save) may be saved over: an earlier mnist save.
    const again = await checkDirectoryDestination(target, `--save ${target}`);
    expect(again.kind).toBe('mnist');
    expect(await saveTrainedModel(model, 'simple', target, { checked: again })).toEqual({
      type: 'saved',
      model: 'simple',
      dir: target,
    });
  });

  it('a save refused because another is in progress says so, not "check the disk"', async () => {
    const parent = join(work, 'busy');
    await mkdir(parent);
    const target = join(parent, 'model');
    const checked = await checkDirectoryDestination(target, `--save ${target}`);
    // Our parent process is alive: its lock stands for another save to the folder in progress.
    await writeFile(join(parent, '.model.save-lock'), `${process.ppid}\n`);
    const event = await saveTrainedModel(model, 'simple', target, { checked });
    if (event === 'stopped') throw new Error('not stopped');
    expect(event.error).toBe(
      `Another save to ${target} is in progress (process ${process.ppid}); this save wrote nothing there. Wait ` +
        'for it to end, or save to another path.',
    );
    expect(event.dir).not.toBe(target);
    await rm(event.dir, { recursive: true });
  });
});

describe('summarise', () => {
  it('a run stopped while saving says the save did not complete', () => {
    const result = { model: 'simple', epochsCompleted: 1, trainSeconds: 1, testAccuracy: 0.9, saved: null };
    expect(summarise([result], { model: 'simple', epoch: 'save', epochs: 1 }, true, ['simple'], 2)).toBe(
      'Stopped by you while saving simple. Finished: simple 90.00%. Nothing was saved. Not saved: simple (the ' +
        'save did not complete: nothing of it was written, and a model already in the folder is unchanged).',
    );
  });
});
