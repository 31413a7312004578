import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/events/types';
import { EXIT } from '../src/exit-codes';
import { jsonLines, startCli } from './process';

// Issue 12, item 7: --save and --report are checked before any training, with a usage-style error; and
// when saving (or writing the report) still fails at the end, the work goes to a temporary place instead
// and the run says where. Also: --limit above what the data holds is reported, never cut short silently.

const QUICK = ['--model', 'simple', '--epochs', '1', '--limit', '500', '--test-limit', '200'];

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-destinations-'));
  await writeFile(join(scratch, 'a-file'), 'not a directory');
  await mkdir(join(scratch, 'a-dir'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A usage-style refusal: exit 2, the reason on the first line of stderr, then the usage; nothing on stdout. */
async function refused(args: readonly string[]): Promise<string> {
  const { code, stdout, stderr } = await startCli(args);
  expect(code).toBe(EXIT.usage);
  const [reason, blank, usage] = stderr.split('\n');
  // Nothing ran: not even the start event. With --json, the run's one event is the error.
  if (args.includes('--json')) {
    expect(jsonLines<RunEvent>(stdout)).toEqual([
      { type: 'error', message: reason?.replace(/^mnist: /, ''), code: 'USAGE', exitCode: 2 },
    ]);
  } else {
    expect(stdout).toBe('');
  }
  expect(blank).toBe('');
  expect(usage).toMatch(/^Usage: mnist (train|evaluate)/);
  return reason ?? '';
}

describe('--save and --report are checked before training', () => {
  it('a file where the --save directory should go', async () => {
    const target = join(scratch, 'a-file');
    expect(await refused(['train', '--json', ...QUICK, '--save', target])).toBe(
      `mnist: --save ${target}: ${target} is a file; a model is saved as a directory (model.json + weights.bin). Choose a directory path.`,
    );
  });
  it('a file in the way of a directory to be created', async () => {
    const target = join(scratch, 'a-file', 'models', 'simple');
    expect(await refused(['train', '--json', ...QUICK, '--save', target])).toBe(
      `mnist: --save ${target}: ${join(scratch, 'a-file')} is a file, so no directory can be created under it. Choose another path.`,
    );
  });
  it('with several models, each model directory DIR/<model>', async () => {
    const dir = join(scratch, 'several');
    await mkdir(dir);
    await writeFile(join(dir, 'mlp'), 'in the way');
    expect(
      await refused(['train', '--json', '--model', 'simple,mlp', '--limit', '500', '--save', dir]),
    ).toContain(`${join(dir, 'mlp')} is a file`);
  });
  it('a directory given as the --report file', async () => {
    const target = join(scratch, 'a-dir');
    expect(await refused(['train', ...QUICK, '--report', target])).toBe(
      `mnist: --report ${target}: ${target} is a directory; give a file name, e.g. ${join(target, 'report.html')}.`,
    );
  });
  it('a device given as the --report file', async () => {
    expect(await refused(['evaluate', '--limit', '100', '--report', '/dev/null'])).toBe(
      'mnist: --report /dev/null: /dev/null is not a regular file (a device, FIFO or socket); give a file path.',
    );
  });
  it('a folder where nothing can be written, even by root (/proc)', async () => {
    expect(await refused(['evaluate', '--limit', '100', '--report', '/proc/report.html'])).toMatch(
      /^mnist: --report \/proc\/report\.html: cannot write \/proc\/report\.html in \/proc \(E[A-Z]+: .+\)\. Choose a writable place\.$/,
    );
    expect(await refused(['train', ...QUICK, '--save', '/proc/mnist-model'])).toMatch(
      /^mnist: --save \/proc\/mnist-model: cannot create \/proc\/mnist-model in \/proc \(E[A-Z]+: .+\)/,
    );
  });
  it('a --report inside the --save model folder, or the same .keras file, even through a symbolic link', async () => {
    const clash = join(scratch, 'clash');
    for (const name of ['model.json', 'weights.bin', 'notes/report.html']) {
      const report = join(clash, name);
      expect(await refused(['train', '--json', ...QUICK, '--save', clash, '--report', report])).toBe(
        `mnist: --report ${report}: ${report} is inside the model --save ${clash} writes (${clash}), so one would ` +
          `overwrite the other. Write it outside the model, e.g. --report ${join(scratch, 'report.html')}.`,
      );
    }
    const keras = join(scratch, 'clash.keras');
    expect(await refused(['train', ...QUICK, '--save', keras, '--report', keras])).toMatch(
      /is the model --save .*clash\.keras writes/,
    );
    await mkdir(join(scratch, 'real'));
    await symlink(join(scratch, 'real'), join(scratch, 'link'));
    expect(
      await refused([
        'train',
        ...QUICK,
        '--save',
        join(scratch, 'real', 'm'),
        '--report',
        join(scratch, 'link', 'm', 'model.json'),
      ]),
    ).toMatch(/is inside the model --save/);
    // Nothing was written: the refusal came before training.
    expect(await readdir(scratch)).not.toContain('clash');
  });
  it("a folder holding someone's own model.json and weights.bin, left untouched", async () => {
    const theirs = join(scratch, 'theirs');
    await mkdir(theirs);
    await writeFile(join(theirs, 'model.json'), '{"modelTopology":{},"weightsManifest":[]}');
    await writeFile(join(theirs, 'weights.bin'), 'their weights');
    expect(await refused(['train', '--json', ...QUICK, '--save', theirs])).toBe(
      `mnist: --save ${theirs}: ${theirs} already holds a model.json that mnist did not save (it has no mnist ` +
        'metadata); a model is saved into a new or empty folder, or over an earlier mnist save, never among ' +
        `other files. Choose a new folder, e.g. ${join(theirs, 'mnist-model')}.`,
    );
    expect((await readdir(theirs)).sort()).toEqual(['model.json', 'weights.bin']);
  });
  it('a destination that will do is left as it was: no probe behind', async () => {
    const dir = join(scratch, 'fine');
    await mkdir(dir);
    const { code } = await startCli([
      'train',
      ...QUICK,
      '--save',
      join(dir, 'model'),
      '--report',
      join(dir, 'r.html'),
    ]);
    expect(code).toBe(EXIT.ok);
    expect((await readdir(dir)).sort()).toEqual(['model', 'r.html']);
  });
});

describe('when the destination breaks during the run', () => {
  it('saves the model and writes the report to temporary places, says where, and exits 1', async () => {
    const base = join(scratch, 'breaks');
    await mkdir(join(base, 'models'), { recursive: true });
    await mkdir(join(base, 'reports'), { recursive: true });
    const saveDir = join(base, 'models', 'simple');
    const reportFile = join(base, 'reports', 'run.html');
    let broken = false;
    const { code, stdout } = await startCli(
      [
        'train',
        '--json',
        '--model',
        'simple',
        '--epochs',
        '1',
        '--limit',
        '3000',
        '--test-limit',
        '500',
        '--save',
        saveDir,
        '--report',
        reportFile,
      ],
      {
        onStdout: (text) => {
          if (broken || !text.includes('"type":"model"')) return;
          broken = true;
          // Both folders were checked and fine; now files stand where they were (as root, permissions
          // would not stop anything: a file in the way does).
          for (const folder of ['models', 'reports']) {
            void rm(join(base, folder), { recursive: true }).then(() => writeFile(join(base, folder), 'x'));
          }
        },
      },
    );
    expect(broken).toBe(true);
    const events = jsonLines<RunEvent>(stdout);
    const saved = events.find((e): e is Extract<RunEvent, { type: 'saved' }> => e.type === 'saved');
    expect(saved?.requestedDir).toBe(saveDir);
    expect(saved?.error).toContain(saveDir);
    expect(saved?.dir.startsWith(tmpdir())).toBe(true);
    expect((await readdir(saved?.dir ?? '')).sort()).toEqual(['model.json', 'weights.bin']);
    const report = events.at(-1) as Extract<RunEvent, { type: 'report' }>;
    expect(report).toMatchObject({ type: 'report', requestedFile: reportFile });
    expect((await stat(report.file)).isFile()).toBe(true);
    const done = events.find((e): e is Extract<RunEvent, { type: 'done' }> => e.type === 'done');
    expect(done?.aborted).toBe(false);
    expect(done?.results[0]?.saved).toBe(saved?.dir);
    expect(code).toBe(EXIT.failure);
    await rm(saved?.dir ?? '', { recursive: true, force: true });
    await rm(join(report.file, '..'), { recursive: true, force: true });
  });
});

describe('--limit and --test-limit above what the data holds', () => {
  it.each([
    [['train', '--limit', '60001'], '--limit 60001 is more than the 60,000 training images of mnist'],
    [['train', '--test-limit', '10001'], '--test-limit 10001 is more than the 10,000 test images of mnist'],
    [['evaluate', '--limit', '20000'], '--limit 20000 is more than the 10,000 test images of mnist'],
  ])('%j is a usage error, not a silent cut', async (args, reason) => {
    const { code, stderr } = await startCli(args);
    expect(code).toBe(EXIT.usage);
    expect(stderr.split('\n')[0]).toBe(`mnist: ${reason}; leave ${args[1]} out to use them all.`);
  });
});
