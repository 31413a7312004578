import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWriteError, guardStreams, type OutputFailure } from './streams';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-streams-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const asStdout = (stream: NodeJS.WritableStream) => stream as unknown as NodeJS.WriteStream;

describe('guardStreams', () => {
  it('writes stdout and stderr through, in order, and flushes', async () => {
    const outFile = join(scratch, 'out.txt');
    const errFile = join(scratch, 'err.txt');
    const out = createWriteStream(outFile);
    const err = createWriteStream(errFile);
    const streams = guardStreams(asStdout(out), err);
    streams.out('one\n');
    streams.err('note\n');
    streams.out('two\n');
    await streams.flush();
    expect(streams.failure()).toBeUndefined();
    expect(await readFile(outFile, 'utf8')).toBe('one\ntwo\n');
    expect(await readFile(errFile, 'utf8')).toBe('note\n');
  });

  it('records a full device (ENOSPC) once, tells the listener, and drops later writes', async () => {
    const full = createWriteStream('/dev/full');
    const streams = guardStreams(asStdout(full), createWriteStream(join(scratch, 'err2.txt')));
    const told: OutputFailure[] = [];
    streams.onFailure((failure) => told.push(failure));
    streams.out('lost\n');
    await streams.flush();
    streams.out('also lost\n');
    await streams.flush();
    expect(told).toHaveLength(1);
    expect(streams.failure()).toMatchObject({ kind: 'failed', code: 'ENOSPC' });
    expect(streams.failure()?.message).toBe(
      'cannot write to stdout: no space left on the device (ENOSPC); the output is incomplete',
    );
  });

  it('takes a pipe whose reader went away (EPIPE) as closed, without throwing', async () => {
    // `head -c 1` reads one byte and exits: the pipe to it is then closed for writing.
    const head = spawn('head', ['-c', '1'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise((resolve) => head.on('exit', resolve));
    const streams = guardStreams(asStdout(head.stdin), createWriteStream(join(scratch, 'err3.txt')));
    streams.out('x');
    await exited;
    for (let i = 0; i < 20 && streams.failure() === undefined; i++) {
      streams.out('more\n'.repeat(1000));
      await streams.flush();
    }
    // EPIPE from the write, or ERR_STREAM_DESTROYED when Node closed the pipe's stream first: both closed.
    expect(streams.failure()?.kind).toBe('closed');
    expect(['EPIPE', 'ERR_STREAM_DESTROYED']).toContain(streams.failure()?.code);
  });

  it('gives Ink a stream that writes through the guard and looks like the terminal', async () => {
    const outFile = join(scratch, 'ink.txt');
    const out = Object.assign(createWriteStream(outFile), { isTTY: true, columns: 93, rows: 31 });
    const streams = guardStreams(asStdout(out), createWriteStream(join(scratch, 'err4.txt')));
    const terminal = streams.terminal();
    expect([terminal.isTTY, terminal.columns, terminal.rows]).toEqual([true, 93, 31]);
    let resized = 0;
    terminal.on('resize', () => resized++);
    out.emit('resize');
    expect(resized).toBe(1);
    terminal.write('frame\n');
    await new Promise((resolve) => terminal.write('', resolve));
    await streams.flush();
    expect(await readFile(outFile, 'utf8')).toBe('frame\n');
  });
});

describe('describeWriteError', () => {
  it('says what went wrong in one line, naming the code', () => {
    const error = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect(describeWriteError(error('EPIPE', 'write EPIPE')).kind).toBe('closed');
    expect(describeWriteError(error('EIO', 'EIO: i/o error, write'))).toEqual({
      kind: 'failed',
      code: 'EIO',
      message: 'cannot write to stdout: EIO: i/o error, write; the output is incomplete',
    });
  });
});
