import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/events/types';
import { EXIT } from '../src/exit-codes';
import { jsonLines, startCli } from './process';

// Issue 12's smaller things: messages in the CLI's words (flags, not API options), progress on stderr
// when evaluate and predict are piped (every few seconds, not per image), our own message for a
// truncated PNG.

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-messages-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The API's names for options, which a CLI user cannot type. */
const API_WORDING = /\{ dir \}|the dir option|download option|download: false|initBackend/;

describe("library errors in the CLI's words", () => {
  it('a data set not found names --data-dir, not the API options', async () => {
    const empty = join(scratch, 'empty');
    await mkdir(empty);
    const viaData = await startCli(['data', '--dataset', 'mnist', '--data-dir', empty]);
    expect(viaData.code).toBe(EXIT.failure);
    // A failure: on stderr, nothing on stdout (#25).
    expect(viaData.stdout).toBe('');
    expect(viaData.stderr).toMatch(/^mnist: mnist: NOT AVAILABLE\n {2}/);
    expect(viaData.stderr).toContain(`--data-dir (${empty}): `);
    expect(viaData.stderr).toContain('train-labels-idx1-ubyte');
    expect(viaData.stderr).toContain('use --data-dir DIR or set MNIST_DATA_DIR=<folder>');
    expect(viaData.stderr).not.toMatch(API_WORDING);
    const viaTrain = await startCli(['train', '--data-dir', empty, '--offline'], {
      env: { MNIST_DATA_DIR: undefined, MNIST_CACHE_DIR: join(scratch, 'cache') },
    });
    expect(viaTrain.code).toBe(EXIT.failure);
    expect(viaTrain.stderr).toContain('use --data-dir DIR');
    expect(viaTrain.stderr).not.toMatch(API_WORDING);
  });
  it('--backend tensorflow says --backend, whether or not the native backend is installed', async () => {
    const { code, stdout, stderr } = await startCli([
      'evaluate',
      'pretrained:simple',
      '--limit',
      '100',
      '--backend',
      'tensorflow',
    ]);
    if (code === EXIT.ok) {
      expect(stdout).toContain('backend tensorflow (tensorflow: chosen with --backend tensorflow)');
    } else {
      expect(code).toBe(EXIT.failure);
      expect(stderr).toMatch(
        /^mnist: --backend tensorflow cannot be used here: .+ or use --backend auto\.\n$/,
      );
    }
    expect(`${stdout}${stderr}`).not.toMatch(API_WORDING);
  });
  it('--backend cpu is shown as chosen with --backend', async () => {
    const { code, stdout } = await startCli([
      'evaluate',
      'pretrained:simple',
      '--limit',
      '100',
      '--backend',
      'cpu',
    ]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('backend cpu (cpu: chosen with --backend cpu)');
  });
});

describe('progress when piped', () => {
  it('evaluate says what it evaluates at once, then a line every few seconds, never one per image', async () => {
    const { code, stdout, stderr } = await startCli([
      'evaluate',
      'pretrained:mlp',
      '--limit',
      '3000',
      '--json',
    ]);
    expect(code).toBe(EXIT.ok);
    const lines = stderr.split('\n').filter((line) => line !== '');
    expect(lines[0]).toBe('mnist: evaluating pretrained:mlp on 3,000 test images…');
    for (const line of lines.slice(1)) {
      expect(line).toMatch(/^mnist: evaluating pretrained:mlp: [\d,]+ of 3,000 images \(\d+%\)$/);
    }
    expect(lines.length).toBeLessThan(30);
    // stdout stays clean JSON.
    expect(jsonLines<RunEvent>(stdout).map((e) => e.type)).toEqual(['start', 'model', 'evaluation', 'done']);
  });
});

describe('a truncated PNG', () => {
  it('is named with our own message; the other files still run', async () => {
    const png = new PNG({ width: 40, height: 40 });
    for (let i = 0; i < 40 * 40; i++)
      png.data.set(i % 40 > 15 && i % 40 < 25 ? [0, 0, 0, 255] : [255, 255, 255, 255], i * 4);
    const bytes = PNG.sync.write(png);
    const cut = join(scratch, 'cut.png');
    const whole = join(scratch, 'whole.png');
    await writeFile(cut, bytes.subarray(0, bytes.length - 30));
    await writeFile(whole, bytes);
    const { code, stdout, stderr } = await startCli(['predict', cut, whole]);
    expect(code).toBe(EXIT.failure);
    const [second] = stdout.split('\n');
    expect(stderr.split('\n')).toContain(
      `mnist: ${cut}: truncated PNG (the file ends before the image does; ${bytes.length - 30} bytes). Copy or export it again.`,
    );
    expect(second).toMatch(new RegExp(`^${whole.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d \\(`));
  });
});
