import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelReference } from './load-model';

// Issue 25: "Train and save one with `--save http://…`" was the advice for a URL and for a loop of symbolic links.

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mnist-cli-load-model-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The message loadModelReference refuses `reference` with. */
function refusal(reference: string): Promise<string> {
  return loadModelReference(reference).then(
    () => 'loaded',
    (error: Error) => error.message,
  );
}

describe('loadModelReference', () => {
  it('a URL is named as one, with what to do instead', async () => {
    expect(await refusal('http://example.com/mlp')).toBe(
      'http://example.com/mlp is a URL; --model takes a model on this machine. Download its model.json and weights ' +
        'files into a folder (or its .keras file) and pass that path, or use --model pretrained:best.',
    );
  });
  it('a loop of symbolic links is said as such, not as a folder to train into', async () => {
    const loop = join(work, 'loop');
    await symlink(loop, loop);
    expect(await refusal(loop)).toMatch(
      new RegExp(
        `^cannot read the model at ${loop.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(ELOOP: .+\\)\\.$`,
      ),
    );
  });
  it('a missing folder still says how to make one', async () => {
    const missing = join(work, 'missing');
    expect(await refusal(missing)).toBe(
      `model directory ${missing} does not exist. Train and save one with \`mnist train --model mlp --save ${missing}\`, or use --model pretrained:best.`,
    );
  });
});
