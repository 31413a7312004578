// Untrusted text never reaches the terminal raw (#25): file names, directory names and what a model.json says are
// shown with their control characters escaped, in messages and in results; JSON output keeps them exact.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@mnist/data';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes';
import { ESC, mnistDir, runCli } from './helpers';
import { jsonLines } from './process';

/** Clears the screen, sets the window title, then forges a result line. */
const HOSTILE = `\u001b[2J\u001b]0;pwned\u0007\nforged.png: 1 (100.0%)`;
const SHOWN = '\\e[2J\\e]0;pwned\\x07\\nforged.png: 1 (100.0%)';

let scratch: string;
let image: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-terminal-safety-'));
  const test = (await loadMnist({ dir: mnistDir, sources: ['dir'] })).test;
  const png = new PNG({ width: 28, height: 28, colorType: 0 });
  const pixels = test.image(0);
  for (let i = 0; i < 784; i++) png.data.set([pixels[i] ?? 0, pixels[i] ?? 0, pixels[i] ?? 0, 255], i * 4);
  image = join(scratch, `digit${HOSTILE}.png`);
  await writeFile(image, PNG.sync.write(png));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('untrusted text in a terminal', () => {
  it('predict shows a file name with escapes and a newline on one escaped line; --json keeps it exact', async () => {
    const text = await runCli(['predict', image, join(scratch, `missing${HOSTILE}.png`)]);
    expect(text.stdout).not.toContain(ESC);
    expect(text.stderr).not.toContain(ESC);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${escapeRegExp(join(scratch, `digit${SHOWN}.png`))}: 7 \\(`));
    // The failure on stderr, on one line of its own.
    const failures = text.stderr.split('\n').filter((line) => line.includes('missing'));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.startsWith(`mnist: ${join(scratch, `missing${SHOWN}.png`)}: `)).toBe(true);
    expect(text.code).toBe(EXIT.failure);
    const missing = join(scratch, 'missing.png');
    const json = await runCli(['predict', '--json', image, missing]);
    expect(jsonLines<{ file: string; label: number }>(json.stdout)).toMatchObject([
      { file: image, label: 7 },
      { file: missing, error: `${missing}: no such file` },
    ]);
    // With --json too, the failure is said on stderr (#25).
    expect(json.stderr.split('\n')).toContain(`mnist: ${missing}: no such file`);
  });

  it('messages naming a directory or quoting a model.json escape what they quote', async () => {
    const missing = join(scratch, `model${HOSTILE}`);
    const absent = await runCli(['evaluate', missing, '--limit', '10']);
    expect(absent.code).toBe(EXIT.failure);
    expect(absent.stderr).not.toContain(ESC);
    expect(absent.stderr).toContain(`model directory ${join(scratch, `model${SHOWN}`)} does not exist`);

    const forged = join(scratch, 'forged');
    await mkdir(forged);
    const layers = [
      { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 784] } },
      // Escape sequences only: a newline quoted from a model.json by @mnist/models still ends a line of stderr.
      { class_name: 'Dense\u001b[2J\u001b]0;pwned\u0007', config: { name: 'out', units: 10 } },
    ];
    const modelJson = {
      format: 'layers-model',
      modelTopology: { class_name: 'Sequential', config: { name: 'x', layers } },
      weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
    };
    await writeFile(join(forged, 'model.json'), JSON.stringify(modelJson));
    await writeFile(join(forged, 'weights.bin'), new Uint8Array(0));
    for (const args of [
      ['evaluate', forged, '--limit', '10'],
      ['predict', '--model', forged, image],
    ]) {
      const refused = await runCli(args);
      expect(refused.code).toBe(EXIT.failure);
      expect(refused.stderr + refused.stdout).not.toContain(ESC);
      expect(refused.stderr).toContain(
        'is a Dense\\e[2J\\e]0;pwned\\x07, which loadModel cannot size safely',
      );
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
