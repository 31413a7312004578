import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heatmapColors } from '@mnist/metrics';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/events/types';
import { ESC, runCli, runCliInTerminal, stripAnsi } from './helpers';

// Small runs: the first 2,000 training images, evaluated on the first 1,000 test images.
const SUBSET = ['--limit', '2000', '--test-limit', '1000'];

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-train-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const parseEvents = (stdout: string): RunEvent[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);

describe('mnist train in a pipe', () => {
  it('prints one line per epoch and the final report as plain text', async () => {
    const { code, stdout, stderr } = await runCli(['train', '--model', 'simple', '--epochs', '2', ...SUBSET]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).not.toContain(ESC);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^mnist \d+\.\d+\.\d+ · train · mnist from env \(/);
    expect(lines[1]).toMatch(/^2,000 training \/ 1,000 test images · backend (tensorflow|wasm|cpu) \(/);
    const epochs = lines.filter((line) => line.startsWith('simple epoch'));
    expect(epochs).toHaveLength(2);
    for (const [i, line] of epochs.entries()) {
      expect(line).toMatch(
        new RegExp(
          `^simple epoch ${i + 1}/2 · loss \\d\\.\\d{4} · accuracy \\d{1,2}\\.\\d\\d% · [\\d.]+ s · [\\d,]+ samples/s$`,
        ),
      );
    }
    const accuracy = Number(
      /simple test accuracy (\d+\.\d\d)% · loss \d\.\d{4} · 1,000 images/.exec(stdout)?.[1],
    );
    expect(accuracy).toBeGreaterThan(70);
    // The heatmap as text: a header, 10 rows whose counts add up to the 1,000 test images, a legend.
    const rows = lines.filter((line) => /^ {2}\d {2}/.test(line));
    expect(rows).toHaveLength(10);
    const total = rows
      .flatMap((row) => row.slice(5).match(/\d+/g) ?? [])
      .reduce((sum, n) => sum + Number(n), 0);
    expect(total).toBe(1000);
    expect(stdout).toContain('[n] = correct, · = none');
    // scikit-learn style report, then the most confused pairs.
    expect(stdout).toMatch(/^ {4}accuracy {25}0\.\d{4} {6}1000$/m);
    expect(stdout).toMatch(/^Most confused: \d→\d ×\d+/m);
    expect(lines.at(-2)).toMatch(
      new RegExp(`^Done in [\\d.]+ s\\. Test accuracy: simple ${accuracy.toFixed(2)}%\\.$`),
    );
  });
});

describe('mnist train --json --save --report, then mnist evaluate', () => {
  const saveDir = () => join(scratch, 'simple-model');
  const reportFile = () => join(scratch, 'report.html');
  let events: RunEvent[] = [];

  beforeAll(async () => {
    const { code, stdout } = await runCli([
      'train',
      '--json',
      '--model',
      'simple',
      '--epochs',
      '2',
      ...SUBSET,
      '--save',
      saveDir(),
      '--report',
      reportFile(),
    ]);
    expect(code).toBe(0);
    events = parseEvents(stdout);
  });

  it('prints JSON events that tell the complete run in order', () => {
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('start');
    expect(types[1]).toBe('model');
    // The report is one more output: it listens for `done`, writes the file, then announces it.
    expect(types.slice(-4)).toEqual(['evaluation', 'saved', 'done', 'report']);
    expect(types.filter((type) => type === 'epoch')).toHaveLength(2);
    const start = events[0] as Extract<RunEvent, { type: 'start' }>;
    expect(start).toMatchObject({
      command: 'train',
      dataset: 'mnist',
      trainCount: 2000,
      testCount: 1000,
      models: ['simple'],
      seed: 42,
    });
    expect(start.classNames).toHaveLength(10);
    // Batch progress: within each epoch samples only grow, and each epoch ends with its last batch.
    for (const epoch of [1, 2]) {
      const batches = events.filter(
        (e): e is Extract<RunEvent, { type: 'batch' }> => e.type === 'batch' && e.epoch === epoch,
      );
      expect(batches.length).toBeGreaterThan(0);
      expect(batches.length).toBeLessThanOrEqual(63);
      for (let i = 1; i < batches.length; i++)
        expect(batches[i]?.samples).toBeGreaterThan(batches[i - 1]?.samples ?? 0);
      expect(batches.at(-1)).toMatchObject({ batch: 63, batches: 63, samples: 2000, samplesTotal: 2000 });
      const epochIndex = types.findIndex(
        (type, i) => type === 'epoch' && (events[i] as { epoch: number }).epoch === epoch,
      );
      expect(types.lastIndexOf('batch', epochIndex)).toBeGreaterThan(-1);
    }
    const evaluation = events.find(
      (e): e is Extract<RunEvent, { type: 'evaluation' }> => e.type === 'evaluation',
    );
    expect(evaluation?.count).toBe(1000);
    expect(evaluation?.confusion.flat().reduce((a, b) => a + b, 0)).toBe(1000);
    const diagonal = evaluation?.confusion.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
    expect(diagonal).toBe(Math.round((evaluation?.accuracy ?? 0) * 1000));
    expect(evaluation?.classes.map((c) => c.support).reduce((a, b) => a + b, 0)).toBe(1000);
    const done = events.at(-2) as Extract<RunEvent, { type: 'done' }>;
    expect(events.at(-1)).toEqual({ type: 'report', file: reportFile() });
    expect(done.aborted).toBe(false);
    expect(done.results).toEqual([
      {
        model: 'simple',
        epochsCompleted: 2,
        trainSeconds: expect.any(Number),
        testAccuracy: evaluation?.accuracy,
        saved: saveDir(),
      },
    ]);
  });

  it('writes a self-contained HTML report with the curves, 100 heatmap cells, the per-class table and mistakes', async () => {
    const html = await readFile(reportFile(), 'utf8');
    const root = parse(html);
    const cells = root.querySelectorAll('svg.heatmap rect.cell');
    expect(cells).toHaveLength(100);
    const evaluation = events.find(
      (e): e is Extract<RunEvent, { type: 'evaluation' }> => e.type === 'evaluation',
    );
    // Coloured by @mnist/metrics' heatmap rule: zeros empty, mistakes and correct cells each on their scale.
    const colors = heatmapColors(evaluation?.confusion ?? []);
    for (const cell of cells) {
      const actual = Number(cell.getAttribute('data-actual'));
      const predicted = Number(cell.getAttribute('data-predicted'));
      const count = evaluation?.confusion[actual]?.[predicted];
      expect(Number(cell.getAttribute('data-count'))).toBe(count);
      const style = colors.cells[actual]?.[predicted];
      expect(cell.getAttribute('class')).toBe(
        `cell ${count === 0 ? 'empty' : actual === predicted ? 'correct' : 'error'}`,
      );
      expect(cell.getAttribute('fill')).toBe(style?.background ?? 'none');
    }
    // Written when the run was done: the report states the outcome.
    expect(root.querySelector('table.meta')?.text).toContain('Done in');
    const curves = root.querySelectorAll('svg.curve');
    expect(curves.map((svg) => svg.getAttribute('data-series'))).toEqual(['loss', 'accuracy']);
    for (const svg of curves) {
      expect(svg.querySelectorAll('circle.epoch-point')).toHaveLength(2);
      expect(svg.querySelector('polyline.epoch-line')?.getAttribute('points')?.split(' ')).toHaveLength(2);
      // Batch progress is throttled by time, so a fast run may report only each epoch's last batch: at least
      // one point per epoch, every one a finite coordinate pair.
      const batchPoints = svg.querySelector('polyline.batch-line')?.getAttribute('points')?.split(' ') ?? [];
      expect(batchPoints.length).toBeGreaterThanOrEqual(2);
      for (const point of batchPoints) expect(point.split(',').map(Number).every(Number.isFinite)).toBe(true);
    }
    const rows = root.querySelectorAll('table.per-class tr');
    expect(rows).toHaveLength(1 + 10 + 2);
    expect(rows[1]?.querySelectorAll('td').at(-1)?.text).toBe(String(evaluation?.classes[0]?.support));
    expect(root.querySelector('.test-accuracy')?.text).toBe(
      `${((evaluation?.accuracy ?? 0) * 100).toFixed(2)}%`,
    );
    const mistakes = root.querySelectorAll('figure.mistake img');
    expect(mistakes.length).toBe(Math.min(40, 1000 - Math.round((evaluation?.accuracy ?? 0) * 1000)));
    for (const img of mistakes) expect(img.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // Calibration: the reliability diagram of the 1,000 test images, its ECE as the event says.
    const calibration = evaluation?.calibration;
    expect(calibration?.bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(1000);
    expect(calibration?.accuracy).toBeCloseTo(evaluation?.accuracy ?? 0, 10);
    expect(root.querySelectorAll('svg.reliability rect.bin')).toHaveLength(calibration?.bins.length ?? -1);
    expect(root.querySelector('.ece')?.text).toBe(calibration?.ece.toFixed(4));
    // Self-contained: nothing is fetched from anywhere.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toContain('<script');
  });

  it('saves a model that `mnist evaluate` scores exactly the same', async () => {
    expect((await readdir(saveDir())).sort()).toEqual(['model.json', 'weights.bin']);
    const { code, stdout } = await runCli(['evaluate', saveDir(), '--json', '--limit', '1000']);
    expect(code).toBe(0);
    const evaluated = parseEvents(stdout).find((e) => e.type === 'evaluation');
    const trained = events.find((e) => e.type === 'evaluation');
    expect(evaluated).toMatchObject({ count: 1000, accuracy: (trained as { accuracy: number }).accuracy });
    expect((evaluated as { confusion: unknown }).confusion).toEqual(
      (trained as { confusion: unknown }).confusion,
    );
  });
});

describe('mnist train in a terminal (Ink dashboard)', () => {
  it('draws the progress bar, the epoch table, the coloured heatmap with its legend and the report', async () => {
    const progressSeen: string[] = [];
    const { code, stdout } = await runCliInTerminal(
      ['train', '--model', 'simple', '--epochs', '1', ...SUBSET],
      {
        columns: 100,
        onStdout: (text) => {
          const match = /simple epoch 1\/1 [█░▏▎▍▌▋▊▉]+ +\d+%/.exec(stripAnsi(text));
          if (match) progressSeen.push(match[0]);
        },
      },
    );
    expect(code).toBe(0);
    const screen = stripAnsi(stdout);
    expect(progressSeen.length).toBeGreaterThan(0);
    // 100 columns: the bar gets its widest size, 50 cells.
    const bar = /simple epoch 1\/1 ([█░▏▎▍▌▋▊▉]+) +\d+%/.exec(screen)?.[1] ?? '';
    expect([...bar]).toHaveLength(50);
    expect(screen).toMatch(
      /[\d,]+\/63 batches · [\d,]+ samples\/s · ETA \d+:\d\d · loss \d\.\d{4} · accuracy \d+\.\d\d%/,
    );
    expect(screen).toMatch(/^model +epoch +loss +accuracy +time +samples\/s\r?$/m);
    expect(screen).toMatch(/^simple +1\/1 +\d\.\d{4} +\d+\.\d\d% +[\d.]+ s +[\d,]+\r?$/m);
    expect(screen).toMatch(/simple test accuracy \d+\.\d\d% · loss \d\.\d{4} · 1,000 images/);
    expect(screen).toContain('Confusion matrix (rows: true class, columns: predicted)');
    expect(screen).toMatch(/correct: up to \d+% of the true class/);
    expect(screen).toMatch(/mistakes: up to [\d.]+% of the true class · · none/);
    expect(screen).toContain('weighted avg');
    expect(screen).toMatch(/Done in [\d.]+ s\. Test accuracy: simple \d+\.\d\d%\./);
    // Colour: 24-bit backgrounds in the heatmap, 256-colour greys in the digits.
    expect(stdout).toMatch(new RegExp(`${ESC}\\[48;2;\\d+;\\d+;\\d+m`));
    expect(stdout).toMatch(new RegExp(`${ESC}\\[38;5;2[3-5]\\dm`));
  });

  it('fits a narrow terminal and draws no colour with NO_COLOR', async () => {
    const { code, stdout } = await runCliInTerminal(
      ['train', '--model', 'simple', '--epochs', '1', '--limit', '500', '--test-limit', '200'],
      {
        columns: 60,
        env: { NO_COLOR: '1' },
      },
    );
    expect(code).toBe(0);
    expect(stdout).not.toMatch(new RegExp(`${ESC}\\[(38|48);(2|5);`));
    const screen = stripAnsi(stdout);
    // 60 columns - "simple epoch 1/1 " (17) - " 100%" (5) - 1 = 37 cells.
    const bar = /simple epoch 1\/1 ([█░▏▎▍▌▋▊▉]+) +\d+%/.exec(screen)?.[1] ?? '';
    expect([...bar]).toHaveLength(37);
    expect(screen).toContain('[n] = correct');
  });

  it('stops cleanly on q, says nothing was saved and leaves no model directory', async () => {
    const saveDir = join(scratch, 'stopped');
    let sent = false;
    const { code, stdout } = await runCliInTerminal(
      ['train', '--model', 'simple', '--epochs', '50', '--limit', '20000', '--save', saveDir],
      {
        onStdout: (text, child) => {
          if (!sent && /batches · [\d,]+ samples\/s/.test(stripAnsi(text))) {
            sent = true;
            child.stdin?.write('q');
          }
        },
      },
    );
    expect(sent).toBe(true);
    // Stopped by you: 130, as after Ctrl-C (exit-codes.ts).
    expect(code).toBe(130);
    // Ink wraps the closing sentence to the terminal's width.
    const screen = stripAnsi(stdout).replace(/\s+/g, ' ');
    expect(screen).toMatch(/Stopped by you simple during epoch \d+\/50\./);
    expect(screen).toContain(
      'Nothing was saved. Not saved: simple (training incomplete; no model directory was written for it).',
    );
    expect(await readdir(scratch)).not.toContain('stopped');
    expect((await readdir(scratch)).filter((name) => name.includes('stopped'))).toEqual([]);
  });
});

describe('stopping a piped run with SIGINT', () => {
  it('finishes the current batch, reports done with aborted: true and exits 130', async () => {
    const saveDir = join(scratch, 'interrupted');
    let sent = false;
    const { code, stdout, stderr } = await runCli(
      ['train', '--json', '--model', 'simple,mlp', '--epochs', '50', '--limit', '20000', '--save', saveDir],
      {
        onStdout: (text, child) => {
          if (!sent && text.includes('"type":"batch"')) {
            sent = true;
            child.kill('SIGINT');
          }
        },
      },
    );
    expect(code).toBe(130);
    expect(stderr).toContain('stopping after the current batch');
    const events = parseEvents(stdout);
    const done = events.at(-1);
    expect(done).toMatchObject({
      type: 'done',
      aborted: true,
      results: [{ model: 'simple', testAccuracy: null, saved: null }],
    });
    expect((done as { message: string }).message).toContain('Not saved: simple, mlp');
    expect(events.some((e) => e.type === 'saved' || e.type === 'evaluation')).toBe(false);
    expect((await readdir(scratch)).filter((name) => name.includes('interrupted'))).toEqual([]);
  });
});

describe('mnist train --init, --no-shuffle and --cross-entropy', () => {
  const run = async (args: string[]) => {
    const { code, stdout, stderr } = await runCli(['train', '--json', '--epochs', '2', ...SUBSET, ...args]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return parseEvents(stdout);
  };
  const epochLosses = (events: RunEvent[]) =>
    events.flatMap((e) => (e.type === 'epoch' ? [Number(e.loss.toFixed(6))] : []));

  it('continues from a saved model, in Keras order with --no-shuffle whatever the seed', async () => {
    const [a, b] = await Promise.all([
      run(['--init', 'pretrained:simple', '--no-shuffle', '--seed', '1']),
      run(['--init', 'pretrained:simple', '--no-shuffle', '--seed', '2']),
    ]);
    const model = a.find((e) => e.type === 'model');
    expect(model).toMatchObject({ model: 'simple', from: 'pretrained:simple', crossEntropy: 'logits' });
    expect(a.find((e) => e.type === 'start')).toMatchObject({ models: ['simple'] });
    // The pretrained weights, not new ones: the first epoch is already at the pretrained model's level.
    const first = a.find((e) => e.type === 'epoch');
    expect(first?.type === 'epoch' && first.accuracy).toBeGreaterThan(0.9);
    // No shuffle and no new weights: nothing random is left, so the seed changes nothing.
    expect(epochLosses(a)).toEqual(epochLosses(b));
    // With shuffling the seed decides the order, and the losses differ.
    const shuffled = await run(['--init', 'pretrained:simple', '--seed', '1']);
    expect(epochLosses(shuffled)).not.toEqual(epochLosses(a));
  });

  it('trains and reports in the form asked for, and says which', async () => {
    const [logits, probabilities] = await Promise.all([
      run(['--model', 'simple', '--cross-entropy', 'logits']),
      run(['--model', 'simple', '--cross-entropy', 'probabilities']),
    ]);
    expect(probabilities.find((e) => e.type === 'model')).toMatchObject({ crossEntropy: 'probabilities' });
    const evaluationLoss = (events: RunEvent[]) => {
      const found = events.find((e) => e.type === 'evaluation');
      return found?.type === 'evaluation' ? found.loss : Number.NaN;
    };
    // Different functions of a sigmoid model's outputs (and different gradients while training).
    expect(Math.abs(evaluationLoss(probabilities) - evaluationLoss(logits))).toBeGreaterThan(0.02);
    const { code, stderr } = await runCli(['train', '--cross-entropy', 'softmax']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--cross-entropy.*logits.*probabilities/);
  });

  it('trains the same model on 1 and 2 threads (--threads): the same losses and test accuracy, digit for digit', async () => {
    const run = async (threads: string) => {
      const { code, stdout } = await runCli([
        'train',
        '--model',
        'mlp',
        '--epochs',
        '2',
        '--threads',
        threads,
        '--json',
        ...SUBSET,
      ]);
      expect(code).toBe(0);
      const events = parseEvents(stdout);
      return {
        epochs: events
          .filter((e) => e.type === 'epoch')
          .map((e) => JSON.stringify({ ...e, seconds: 0, samplesPerSecond: 0 })),
        evaluation: events.find((e) => e.type === 'evaluation'),
      };
    };
    const [one, two] = [await run('1'), await run('2')];
    expect(one.epochs).toHaveLength(2);
    expect(two.epochs).toEqual(one.epochs);
    expect(two.evaluation).toMatchObject({ accuracy: (one.evaluation as { accuracy: number }).accuracy });
  });

  it('refuses --init together with --model', async () => {
    const { code, stderr } = await runCli(['train', '--init', 'pretrained:mlp', '--model', 'mlp']);
    expect(code).toBe(2);
    expect(stderr).toContain('give either --init or --model, not both');
  });
});
