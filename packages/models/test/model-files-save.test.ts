// Saving is killed at random moments by SIGKILL in a real child process; whatever is left on disk must load as the
// old model or the new one, never as a mix, and the next save cleans what the killed one left behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, initBackend, loadModel, type MnistModel, predict, saveModel } from '../src/node.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const probe = new Float32Array(784 * 4).map((_, i) => ((i * 7919) % 256) / 255);

let work: string;
let models: MnistModel[];
let expected: number[][];

beforeAll(async () => {
  await initBackend('cpu', { log: false });
  work = await mkdtemp(join(tmpdir(), 'mnist-save-'));
  // The same two models the child process saves (same seeds, so the same weights).
  models = [createModel('simple', { seed: 1 }), createModel('simple', { seed: 2 })];
  expected = await Promise.all(models.map(async (m) => Array.from(await predict(m, probe))));
});

afterAll(async () => {
  for (const m of models ?? []) m.layersModel.dispose();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

function startSaver(directory: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@mnist/source', join('test', 'support', 'save-loop.ts'), directory],
    { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`saver exited early with ${code}`)));
    child.stdout?.once('data', () => resolve(child));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Deterministic pseudo-random delays, so a failure can be replayed. */
function* delays(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    yield 5 + (state % 120);
  }
}

describe('saveModel over an existing model', () => {
  it('leaves the old or the new model whole when killed at any moment, and the next save cleans up', async () => {
    const parent = join(work, 'killed');
    await mkdir(parent);
    const directory = join(parent, 'model');
    const wait = delays(7);
    for (let round = 0; round < 8; round++) {
      const child = await startSaver(directory);
      await new Promise((resolve) => setTimeout(resolve, wait.next().value as number));
      await killed(child);
      const loaded = await loadModel(directory);
      const got = Array.from(await predict(loaded, probe));
      loaded.layersModel.dispose();
      expect([0, 1].some((k) => got.every((v, i) => v === expected[k]?.[i]))).toBe(true);
    }
    // A save from this process at once removes the dead saver's temporaries and lock, here and beside the
    // directory, and the weights a kill left unreferenced, however fresh (the lock keeps live saves out).
    await saveModel(models[0] as MnistModel, directory);
    const left = [...(await readdir(directory)), ...(await readdir(parent))].filter(
      (f) => f.includes('.tmp-') || f.endsWith('.save-lock'),
    );
    expect(left).toEqual([]);
    const files = (await readdir(directory)).sort();
    const json = JSON.parse(await readFile(join(directory, 'model.json'), 'utf8'));
    expect(files).toEqual(['model.json', ...json.weightsManifest[0].paths].sort());
  }, 120_000);

  it('switches with one rename: the new weights never take the name the old model.json points at', async () => {
    const directory = join(work, 'alternate');
    const names: string[] = [];
    for (let k = 0; k < 4; k++) {
      const saved = await saveModel(models[k % 2] as MnistModel, directory);
      names.push(saved.weightsPath.slice(directory.length + 1));
      expect(await readdir(directory)).toHaveLength(2);
    }
    for (let k = 1; k < names.length; k++) expect(names[k]).not.toBe(names[k - 1]);
    expect(names[0]).toBe('weights.bin');
  });

  it('leaves temporaries of a live save alone, and creates directories with the usual permissions', async () => {
    const directory = join(work, 'live');
    await saveModel(models[0] as MnistModel, directory);
    // Our parent process is alive: its temporary must survive another save; a dead pid's must not.
    const live = `.model.json.tmp-${process.ppid}-0badc0de`;
    const dead = '.model.json.tmp-2147483646-deadbeef';
    await writeFile(join(directory, live), '{}');
    await writeFile(join(directory, dead), '{}');
    await saveModel(models[1] as MnistModel, directory);
    const entries = await readdir(directory);
    expect(entries).toContain(live);
    expect(entries).not.toContain(dead);

    // Unreferenced weights files of ours, fresh or old, are what killed saves left (no other save runs while
    // this one holds the lock): both go. Files not named like ours stay.
    await writeFile(join(directory, 'weights-0badc0de.bin'), 'fresh');
    await writeFile(join(directory, 'weights-deadbeef.bin'), 'old');
    await writeFile(join(directory, 'notes.txt'), 'mine');
    const longAgo = new Date(Date.now() - 5 * 60 * 1000);
    await utimes(join(directory, 'weights-deadbeef.bin'), longAgo, longAgo);
    await saveModel(models[0] as MnistModel, directory);
    const after = await readdir(directory);
    expect(after).not.toContain('weights-0badc0de.bin');
    expect(after).not.toContain('weights-deadbeef.bin');
    expect(after).toContain('notes.txt');

    const umask = process.umask();
    const fresh = join(work, 'fresh', 'model');
    await saveModel(models[0] as MnistModel, fresh);
    expect((await stat(fresh)).mode & 0o777).toBe(0o777 & ~umask);
    expect((await stat(join(fresh, 'model.json'))).mode & 0o777).toBe(0o666 & ~umask);
  });
});

describe('one save at a time per directory, and a signal stops a save before it commits', () => {
  it('refuses a save while a live process holds the lock, saying so; takes over the lock of a dead one', async () => {
    const parent = join(work, 'locked');
    await mkdir(parent);
    const directory = join(parent, 'model');
    const lock = join(parent, '.model.save-lock');
    // Our parent process is alive: its lock stands for a save in progress.
    await writeFile(lock, `${process.ppid}\n`);
    const refusal = await saveModel(models[0] as MnistModel, directory).catch((error: unknown) => error);
    expect(refusal).toMatchObject({
      name: 'MnistModelError',
      code: 'WRITE_FAILED',
      file: directory,
      message:
        `Another save to ${directory} is in progress (process ${process.ppid}); this save wrote nothing there. ` +
        'Wait for it to end, or save to another path.',
    });
    expect(await readdir(parent)).toEqual(['.model.save-lock']);
    // A killed save's lock (its process is gone) is taken over, and released after the save.
    await writeFile(lock, '2147483646\n');
    await saveModel(models[0] as MnistModel, directory);
    expect((await readdir(parent)).sort()).toEqual(['model']);
  });

  it('fails at once, naming why, under a dangling symbolic link or in /proc, where mkdir -p spun forever (#25)', async () => {
    const dangling = join(work, 'dangling');
    await symlink(join(work, 'gone'), dangling);
    const places: [string, string][] = [
      [join(dangling, 'models', 'mlp'), `${dangling} is a symbolic link to nothing`],
      [join(dangling, 'mlp.keras'), `${dangling} is a symbolic link to nothing`],
      ...(process.platform === 'linux'
        ? ([['/proc/self/fd/models/mlp', '/proc/self/fd does not take new folders']] as [string, string][])
        : []),
    ];
    for (const [place, why] of places) {
      const refusal = await saveModel(models[0] as MnistModel, place).catch((error: unknown) => error);
      expect(refusal, place).toMatchObject({ name: 'MnistModelError', code: 'WRITE_FAILED', file: place });
      expect((refusal as Error).message, place).toContain(why);
    }
  });

  it('a fired signal stops the save: a new directory is not created, an existing model is left as it was', async () => {
    const parent = join(work, 'stopped');
    await mkdir(parent);
    const directory = join(parent, 'model');
    const stop = new AbortController();
    stop.abort();
    const stopped = await saveModel(models[0] as MnistModel, directory, { signal: stop.signal }).catch(
      (error: unknown) => error,
    );
    expect(stopped).toMatchObject({ code: 'ABORTED', file: directory });
    expect((stopped as Error).message).toBe(
      `Saving the model to ${directory} was stopped before it completed (the AbortSignal fired): nothing was ` +
        'written there, and a model already there is unchanged.',
    );
    expect(await readdir(parent)).toEqual([]);
    await saveModel(models[1] as MnistModel, directory);
    const before = await readFile(join(directory, 'model.json'), 'utf8');
    await expect(
      saveModel(models[0] as MnistModel, directory, { signal: stop.signal }),
    ).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(await readFile(join(directory, 'model.json'), 'utf8')).toBe(before);
    expect((await readdir(directory)).sort()).toEqual(['model.json', 'weights.bin']);
  });
});
