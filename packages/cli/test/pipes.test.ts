import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@mnist/data';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes';
import { mnistDir } from './helpers';
import { type Finished, jsonLines, startCli } from './process';

// Issue 12, item 2: writing to a closed or full output. A closed pipe (the reader went away, as with
// `| head -1`) ends the command quietly with 141, as SIGPIPE ends other Unix tools; any other write
// error is one line on stderr and exit code 1. Every case runs the built CLI with a real pipe or device.

const SUBSET = ['--model', 'simple', '--epochs', '1', '--limit', '2000', '--test-limit', '500'];
const FULL = 'mnist: cannot write to stdout: no space left on the device (ENOSPC); the output is incomplete';

let scratch: string;
let images: string[];
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-pipes-'));
  const test = (await loadMnist({ dir: mnistDir, sources: ['dir'] })).test;
  images = [];
  for (let index = 0; index < 30; index++) {
    const png = new PNG({ width: 28, height: 28 });
    test.image(index).forEach((value, i) => {
      png.data.set([value, value, value, 255], i * 4);
    });
    const file = join(scratch, `digit-${index}.png`);
    await writeFile(file, PNG.sync.write(png));
    images.push(file);
  }
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Runs the CLI and closes our end of its stdout pipe after the first line, as `head -1` does. */
function readFirstLineThenClose(args: readonly string[]): Promise<Finished & { firstLine: string }> {
  let firstLine = '';
  return startCli(args, {
    onStdout: (text, child) => {
      if (firstLine !== '' || !text.includes('\n')) return;
      firstLine = text.slice(0, text.indexOf('\n'));
      child.stdout?.destroy();
    },
  }).then((finished) => ({ ...finished, firstLine }));
}

describe('a closed pipe ends the command quietly (exit 141)', () => {
  it('mnist train | head -1', async () => {
    const { code, stderr, firstLine } = await readFirstLineThenClose(['train', ...SUBSET]);
    expect(firstLine).toMatch(/^mnist \S+ · train · mnist from /);
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.outputClosed);
  });
  it('mnist train --json | head -1', async () => {
    const { code, stderr, firstLine } = await readFirstLineThenClose(['train', '--json', ...SUBSET]);
    expect(JSON.parse(firstLine)).toMatchObject({ type: 'start', command: 'train' });
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.outputClosed);
  });
  it('mnist predict … | head -1', async () => {
    const { code, stderr, firstLine } = await readFirstLineThenClose(['predict', ...images]);
    expect(firstLine).toMatch(/^\S+digit-0\.png: 7 \(/);
    // Only the progress note that piped runs get; no stack trace.
    expect(stderr).toMatch(new RegExp(`^mnist: classifying ${images.length} files with pretrained:\\w+…\n$`));
    expect(code).toBe(EXIT.outputClosed);
  });
});

describe('a full output is one line on stderr and exit code 1', () => {
  it('mnist train --json > /dev/full', async () => {
    const { code, stderr } = await startCli(['train', '--json', ...SUBSET], { stdoutFile: '/dev/full' });
    expect(stderr).toBe(`${FULL}\n`);
    expect(code).toBe(EXIT.failure);
  });
  it('mnist predict --json > /dev/full', async () => {
    const { code, stderr } = await startCli(['predict', '--json', images[0] as string], {
      stdoutFile: '/dev/full',
    });
    expect(stderr).toBe(`${FULL}\n`);
    expect(code).toBe(EXIT.failure);
  });
  it('mnist show > /dev/full', async () => {
    const { code, stderr } = await startCli(['show', '0', '1'], { stdoutFile: '/dev/full' });
    expect(stderr).toBe(`${FULL}\n`);
    expect(code).toBe(EXIT.failure);
  });
  it('mnist data --json > /dev/full', async () => {
    const { code, stderr } = await startCli(['data', '--dataset', 'mnist', '--json'], {
      stdoutFile: '/dev/full',
    });
    expect(stderr).toBe(`${FULL}\n`);
    expect(code).toBe(EXIT.failure);
  });
});

describe('the same outputs, when nothing goes wrong', () => {
  it('a reader that reads everything gets every line and exit code 0', async () => {
    const { code, stdout, stderr } = await startCli(['predict', '--json', ...images.slice(0, 3)]);
    expect(code).toBe(EXIT.ok);
    expect(jsonLines<{ file: string }>(stdout).map((answer) => answer.file)).toEqual(images.slice(0, 3));
    expect(stderr).toMatch(/^mnist: classifying 3 files with pretrained:\w+…\n$/);
  });
});
