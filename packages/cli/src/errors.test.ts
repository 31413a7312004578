import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@mnist/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './args/parse';
import { CliError, cliWording, describeError } from './errors';

let empty: string;
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), 'mnist-cli-errors-'));
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
});

/** What @mnist/data really throws for these options (not a copy of its wording). */
async function dataError(options: Parameters<typeof loadMnist>[0]): Promise<Error> {
  return loadMnist(options).then(
    () => {
      throw new Error('expected @mnist/data to fail');
    },
    (error: Error) => error,
  );
}

describe('cliWording', () => {
  it('puts flags where @mnist/data names its API options', async () => {
    const named = await dataError({ dir: empty, sources: ['dir'] });
    expect(named.message).toMatch(/the dir option|pass \{ dir \}/);
    const said = describeError(named).message;
    expect(said).toContain(`--data-dir`);
    expect(said).toContain('use --data-dir DIR');
    expect(said).not.toMatch(/the dir option|\{ dir \}|download option/);

    const offline = await dataError({
      dataset: 'fashion-mnist',
      sources: ['cache', 'download'],
      download: false,
      cacheDir: empty,
    });
    expect(offline.message).toContain('download: false');
    expect(describeError(offline).message).toContain('turned off (--offline)');
    expect(describeError(offline).message).toContain('leave out --offline and unset MNIST_DOWNLOAD');
  });
  it('tells CLI users to save with mnist train --save, never to call saveModel() (#25)', () => {
    expect(
      cliWording(
        'No model.json at /m/model.json. Pass the directory saveModel() wrote (it holds model.json and weights.bin)',
      ),
    ).toBe(
      'No model.json at /m/model.json. Pass a directory mnist train --save wrote (it holds model.json and weights.bin)',
    );
    expect(
      cliWording('No .keras file at /m.keras. Save one with saveModel(model, "m.keras") or Keras\'s'),
    ).toBe("No .keras file at /m.keras. Save one with mnist train --save m.keras or Keras's");
    for (const advice of [
      'save the model again with saveModel(), or download both',
      '(saved by saveModel() or tf.LayersModel.save()).',
      'Point loadModel at a directory written by saveModel().',
      'Load a model saved by saveModel(), or build one with createModel().',
      'or absent. Save the model again with saveModel().',
    ]) {
      expect(cliWording(advice)).toContain('mnist train --save');
      expect(cliWording(advice)).not.toContain('saveModel');
    }
  });
  it('names --backend where @mnist/models names initBackend', () => {
    expect(cliWording("wasm: forced by initBackend('wasm')")).toBe('wasm: forced by --backend wasm');
    expect(cliWording('The cpu backend was requested (initBackend option) but cannot be used')).toBe(
      'The cpu backend was requested (--backend) but cannot be used',
    );
  });
});

describe('describeError', () => {
  it('keeps exit codes: usage errors 2, failures 1, and a library code', () => {
    expect(describeError(new UsageError('bad'))).toEqual({
      message: 'bad',
      code: 'USAGE',
      exitCode: 2,
      quoted: [],
    });
    expect(describeError(new CliError('x', { exitCode: 2, code: 'USAGE' }))).toMatchObject({ exitCode: 2 });
    expect(describeError(Object.assign(new Error('sum'), { code: 'CHECKSUM_MISMATCH' }))).toEqual({
      message: 'sum',
      code: 'CHECKSUM_MISMATCH',
      exitCode: 1,
      quoted: [],
    });
    expect(describeError(Object.assign(new Error('gone'), { file: '/m/model.json' }))).toMatchObject({
      quoted: ['/m/model.json'],
    });
    expect(describeError('text')).toEqual({ message: 'text', code: undefined, exitCode: 1, quoted: [] });
  });
});
