import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationEvent } from '../events/evaluation';
import type { RunEvent } from '../events/types';
import { guardStreams } from '../io/streams';
import { epochEvent, simpleModel, startEvent } from '../ui/test-helpers';
import { createRunOutputs } from './outputs';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-outputs-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const labels = Array.from({ length: 50 }, (_, i) => i % 10);
const evaluation = evaluationEvent({
  model: 'simple',
  labels,
  predictions: labels.map((label, i) => (i % 7 === 0 ? (label + 1) % 10 : label)),
  loss: 0.4,
  seconds: 0.2,
  classNames: startEvent.classNames,
});
const done: RunEvent = {
  type: 'done',
  aborted: false,
  seconds: 3,
  results: [
    { model: 'simple', epochsCompleted: 1, trainSeconds: 2, testAccuracy: evaluation.accuracy, saved: null },
  ],
  message: `Done in 3.0 s. Test accuracy: simple ${(evaluation.accuracy * 100).toFixed(2)}%.`,
};

/** Runs the events through real outputs writing to real files; returns what stdout and stderr got. */
async function runThrough(kind: 'lines' | 'json', report: string | undefined, events: readonly RunEvent[]) {
  const outFile = join(scratch, `${kind}-${Math.random()}.out`);
  const errFile = `${outFile}.err`;
  const stdout = createWriteStream(outFile) as unknown as NodeJS.WriteStream;
  const streams = guardStreams(stdout, createWriteStream(errFile));
  const outputs = createRunOutputs({
    terminal: { kind, color: false, width: 80 },
    streams,
    stdin: process.stdin,
    report,
    onStop: () => {},
  });
  outputs.showImages({ trainImage: () => new Uint8Array(784), testImage: () => new Uint8Array(784).fill(9) });
  for (const event of events) outputs.store.sink(event);
  outputs.store.dispatch({ type: 'status', text: 'not an event' });
  const result = await outputs.finish();
  await streams.flush();
  return {
    ...result,
    state: outputs.store.getState(),
    stdout: await readFile(outFile, 'utf8'),
    stderr: await readFile(errFile, 'utf8'),
  };
}

describe('createRunOutputs', () => {
  const run = [startEvent, simpleModel, epochEvent(1, 0.5, 0.9), evaluation, done];

  it('prints JSON events from the one store, never the dashboard-only actions', async () => {
    const { stdout, state } = await runThrough('json', undefined, run);
    const printed = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
    expect(printed).toEqual(run);
    expect(state.done).toEqual(done);
    expect(state.models[0]?.evaluation).toEqual(evaluation);
  });

  it('writes the HTML report when the run is done, from the store, then tells every output', async () => {
    const file = join(scratch, 'reports', 'run.html');
    const { stdout, stderr, failed } = await runThrough('json', file, run);
    const printed = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
    expect(printed.map((e) => e.type)).toEqual(['start', 'model', 'epoch', 'evaluation', 'done', 'report']);
    expect(printed.at(-1)).toEqual({ type: 'report', file });
    expect([failed, stderr]).toEqual([false, '']);
    const html = parse(await readFile(file, 'utf8'));
    // Written after `done`: the outcome is in the report, and so is the evaluation.
    expect(html.querySelector('table.meta')?.text).toContain(done.message);
    expect(html.querySelector('.test-accuracy')?.text).toBe(`${(evaluation.accuracy * 100).toFixed(2)}%`);
    expect(html.querySelectorAll('rect.cell')).toHaveLength(100);
    expect(html.querySelectorAll('rect.cell.error').length).toBeGreaterThan(0);
    for (const empty of html.querySelectorAll('rect.cell.empty'))
      expect(empty.getAttribute('fill')).toBe('none');
  });

  it('writes nothing for a run that never ended', async () => {
    const file = join(scratch, 'never.html');
    const { stdout } = await runThrough('lines', file, [startEvent, simpleModel]);
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(stdout).not.toContain('HTML report');
  });

  it('writes the report to a temporary file, and says so, when its place broke during the run', async () => {
    const folder = join(scratch, 'was-a-folder');
    await mkdir(folder);
    const file = join(folder, 'report.html');
    // The folder was fine when the run started (the CLI checked it); now a file stands in its place.
    await rm(folder, { recursive: true });
    await writeFile(folder, 'in the way');
    const { stdout, stderr, failed } = await runThrough('lines', file, run);
    expect(failed).toBe(true);
    // A failure: on stderr, not among the results.
    expect(stdout).not.toContain('Could not write');
    const line = stderr.split('\n').find((l) => l.startsWith('mnist: Could not write the HTML report'));
    const fallback = /Wrote it to (.+) instead\.$/.exec(line ?? '')?.[1] ?? '';
    expect(line).toContain(`to ${file} (`);
    expect(fallback.startsWith(tmpdir())).toBe(true);
    expect(await readFile(fallback, 'utf8')).toContain('<!doctype html>');
    await rm(join(fallback, '..'), { recursive: true });
  });

  it('says a save that fell back on stderr, with --json too (the event stays on stdout)', async () => {
    const saved: RunEvent = {
      type: 'saved',
      model: 'simple',
      dir: '/tmp/m',
      requestedDir: '/m',
      error: 'EROFS',
    };
    const text =
      'Could not save simple to /m (EROFS). Saved it to /tmp/m instead: move it where you want it.';
    const json = await runThrough('json', undefined, [startEvent, simpleModel, saved, done]);
    expect(json.stdout.split('\n')).toContain(JSON.stringify(saved));
    expect(json.stderr).toBe(`mnist: ${text}\n`);
    const lines = await runThrough('lines', undefined, [startEvent, simpleModel, saved, done]);
    expect(lines.stdout).not.toContain('Could not save');
    expect(lines.stderr).toBe(`mnist: ${text}\n`);
  });
});
