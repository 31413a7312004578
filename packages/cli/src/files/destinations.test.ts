import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDirectoryDestination } from './destinations';

// Issue 25: --save writes into a new folder, an empty one or an earlier mnist save, never among someone's files.

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mnist-cli-save-folder-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The refusal's message, or `accepted: <kind>`. */
async function verdict(dir: string): Promise<string> {
  return checkDirectoryDestination(dir, `--save ${dir}`).then(
    (folder) => `accepted: ${folder.kind}`,
    (error: Error) => error.message,
  );
}

describe('checkDirectoryDestination', () => {
  it('accepts a new folder, an empty one and an earlier mnist save', async () => {
    expect(await verdict(join(work, 'new', 'model'))).toBe('accepted: new');
    await mkdir(join(work, 'empty'));
    expect(await verdict(join(work, 'empty'))).toBe('accepted: empty');
    await mkdir(join(work, 'ours'));
    const ours = { modelTopology: {}, weightsManifest: [], userDefinedMetadata: { mnist: { name: 'mlp' } } };
    await writeFile(join(work, 'ours', 'model.json'), JSON.stringify(ours));
    await writeFile(join(work, 'ours', 'weights.bin'), '');
    expect(await verdict(join(work, 'ours'))).toBe('accepted: mnist');
  });

  it("refuses someone's own model.json and weights.bin, other files, and /", async () => {
    const theirs = join(work, 'theirs');
    await mkdir(theirs);
    await writeFile(join(theirs, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [] }));
    await writeFile(join(theirs, 'weights.bin'), '');
    expect(await verdict(theirs)).toBe(
      `--save ${theirs}: ${theirs} already holds a model.json that mnist did not save (it has no mnist metadata); ` +
        'a model is saved into a new or empty folder, or over an earlier mnist save, never among other files. ' +
        `Choose a new folder, e.g. ${join(theirs, 'mnist-model')}.`,
    );
    await writeFile(join(theirs, 'model.json'), 'not json');
    expect(await verdict(theirs)).toContain('already holds a model.json that is not JSON;');
    const papers = join(work, 'papers');
    await mkdir(papers);
    await writeFile(join(papers, 'thesis.tex'), '');
    expect(await verdict(papers)).toContain(`${papers} already holds a file and no model.json;`);
    expect(await verdict('/')).toMatch(
      /^--save \/: \/ already holds \d+ files and no model\.json; .* never among other files\. Choose a new folder\.$/,
    );
  });
});
