import { heatmapColors, type Rgb } from '@mnist/metrics';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { dashboardReducer, initialDashboardState } from '../dashboard/state';
import { createRunStore } from '../dashboard/store';
import { evaluationEvent } from '../events/evaluation';
import type { BatchEvent, EvaluationEvent } from '../events/types';
import { DashboardApp } from './App';
import { Dashboard } from './Dashboard';
import { EpochProgress } from './EpochProgress';
import { Heatmap } from './Heatmap';
import { Report } from './Report';
import { SampleDigits } from './SampleDigits';
import { epochEvent, simpleModel, startEvent, stripAnsi, tick } from './test-helpers';

const progress: BatchEvent = {
  type: 'batch',
  model: 'simple',
  epoch: 2,
  epochs: 5,
  batch: 938,
  batches: 1875,
  samples: 30000,
  samplesTotal: 60000,
  loss: 0.31234,
  accuracy: 0.9123,
  samplesPerSecond: 5000,
  etaSeconds: 6,
};

describe('EpochProgress', () => {
  it('shows the epoch, a bar filled to the fraction done, batches, samples/s, ETA, loss and accuracy', () => {
    const { lastFrame } = render(<EpochProgress progress={progress} width={100} color={false} />);
    const [barLine, figures] = stripAnsi(lastFrame()).split('\n');
    expect(barLine).toMatch(/^simple epoch 2\/5 /);
    expect(barLine).toMatch(/ 50%$/);
    // 100 columns leave room for the widest bar (50 cells): half of it is full.
    expect(barLine?.match(/█/g)).toHaveLength(25);
    expect(barLine?.match(/░/g)).toHaveLength(25);
    expect(figures).toBe('938/1,875 batches · 5,000 samples/s · ETA 0:06 · loss 0.3123 · accuracy 91.23%');
  });
  it('shrinks the bar to a narrow terminal', () => {
    const { lastFrame } = render(
      <EpochProgress progress={{ ...progress, samples: 15000 }} width={40} color={false} />,
    );
    const barLine = stripAnsi(lastFrame()).split('\n')[0] ?? '';
    // 40 columns - "simple epoch 2/5 " (17) - "  25%" (5) - 1 = 17 cells, a quarter full: 4¼ cells.
    expect(barLine.match(/█/g)).toHaveLength(4);
    expect(barLine).toContain('▎');
    expect([...barLine.replace(/^simple epoch 2\/5 /, '').replace(/ +25%$/, '')]).toHaveLength(17);
  });
});

describe('Dashboard', () => {
  const events = [startEvent, simpleModel, epochEvent(1, 0.47123, 0.87654), epochEvent(2, 0.30412, 0.91502)];
  const state = events.reduce(dashboardReducer, initialDashboardState);

  it('prints finished epochs once as a table (via <Static>) and the running epoch live', () => {
    const withProgress = dashboardReducer(state, { ...progress, epoch: 3, batch: 469, samples: 15008 });
    const image = () => new Uint8Array(784).fill(255);
    const { lastFrame } = render(
      <Dashboard state={withProgress} width={100} color={false} trainImage={image} />,
    );
    // ink-testing-library renders in debug mode: each frame holds the <Static> output followed by the live part.
    const all = stripAnsi(lastFrame());
    expect(all).toContain('Data: mnist · 60,000 training / 10,000 test images · from package');
    expect(all).toContain('Backend: wasm (tfjs-node is not installed) · seed 42');
    expect(all).toContain(
      'simple: Dense(10, sigmoid) · 7,850 parameters · 5 epochs, batch 32, Adam lr 0.001, loss from logits',
    );
    const table = all.split('\n').filter((line) => /^(model +epoch|simple +\d\/5)/.test(line));
    expect(table).toEqual([
      'model      epoch     loss   accuracy      time    samples/s',
      'simple       1/5   0.4712     87.65%    12.3 s        4,862',
      'simple       2/5   0.3041     91.50%    12.3 s        4,862',
    ]);
    // Sample digits: a fully white image is 14 lines of full blocks without colour.
    expect(all.split('\n').filter((line) => line.startsWith('█'.repeat(28)))).toHaveLength(14);
    expect(stripAnsi(lastFrame())).toContain('simple epoch 3/5');
    expect(stripAnsi(lastFrame())).toContain('469/1,875 batches');
  });
});

describe('SampleDigits', () => {
  const digit = new Uint8Array(784);
  for (let row = 4; row < 24; row++) digit[row * 28 + 14] = 255; // a vertical stroke: a "1"
  it('draws 28×28 digits side by side as 14 half-block lines with captions', () => {
    const { lastFrame } = render(
      <SampleDigits
        color={false}
        width={80}
        images={[
          { pixels: digit, caption: '#0: 1' },
          { pixels: digit, caption: '#1: 1' },
        ]}
      />,
    );
    // 14 image lines (the stroke covers rows 4-23: lines 2-11), the captions, the bottom margin.
    const lines = stripAnsi(lastFrame()).split('\n');
    expect(lines).toHaveLength(16);
    expect(lines.map((line, i) => (line.includes('█') ? i : -1)).filter((i) => i >= 0)).toEqual([
      2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(lines[2]).toBe(`${' '.repeat(14)}█${' '.repeat(13)}  ${' '.repeat(14)}█`);
    expect(lines[14]).toMatch(/^#0: 1 +#1: 1$/);
  });
  it('halves the images on very narrow terminals', () => {
    const { lastFrame } = render(
      <SampleDigits color={false} width={24} images={[{ pixels: digit, caption: 'x' }]} />,
    );
    // 7 lines of 14 cells, the caption, the bottom margin.
    const lines = stripAnsi(lastFrame()).split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[1]).toBe(`${' '.repeat(7)}█`);
  });
});

/** An evaluation of 400 labelled images, 40 per class: 3 of class 4 predicted as 9, 1 of class 7 as 1. */
function sampleEvaluation(): EvaluationEvent {
  const labels: number[] = [];
  const predictions: number[] = [];
  for (let label = 0; label < 10; label++) {
    for (let k = 0; k < 40; k++) {
      labels.push(label);
      predictions.push(label === 4 && k < 3 ? 9 : label === 7 && k < 1 ? 1 : label);
    }
  }
  return evaluationEvent({
    model: 'simple',
    labels,
    predictions,
    loss: 0.2731,
    seconds: 0.8,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  });
}

const ESC = '\u001b';
const fillCode = ([r, g, b]: Rgb) => `${ESC}[48;2;${r};${g};${b}m`;

describe('Heatmap', () => {
  it('draws 10 rows of 10 counts by the colour rule, with a legend for both scales', () => {
    const evaluation = sampleEvaluation();
    const { lastFrame } = render(<Heatmap confusion={evaluation.confusion} color={true} width={100} />);
    const frame = lastFrame() ?? '';
    const lines = stripAnsi(frame).split('\n');
    expect(lines[0]).toBe('Confusion matrix (rows: true class, columns: predicted)');
    const rows = lines.filter((line) => /^ +\d {2}/.test(line));
    expect(rows).toHaveLength(10);
    // Zeros are empty: a dot instead of a count, and no fill.
    expect(rows[4]?.trim().split(/\s+/)).toEqual(['4', '·', '·', '·', '·', '37', '·', '·', '·', '·', '3']);
    expect(lines.at(-2)).toMatch(/^ +correct: up to 100% of the true class$/);
    expect(lines.at(-1)).toMatch(/^ +mistakes: up to 7\.5% of the true class · · none$/);
    // @mnist/metrics' rule: 40/40 and 37/40 on the correct scale, 3/40 at the top of the mistakes scale,
    // 1/40 lower on it; each with its own fill, and no fill anywhere else.
    const colors = heatmapColors(evaluation.confusion);
    const filled = [colors.cells[0]?.[0], colors.cells[4]?.[4], colors.cells[4]?.[9], colors.cells[7]?.[1]];
    expect(filled.map((cell) => cell?.kind)).toEqual(['correct', 'correct', 'error', 'error']);
    expect(colors.cells[4]?.[9]?.level).toBe(1);
    expect(colors.cells[7]?.[1]?.level).toBeCloseTo(1 / 3, 12);
    for (const cell of filled) expect(frame).toContain(fillCode(cell?.fill as Rgb));
    const rowLines = frame.split('\n').filter((line) => /^ +\d {2}/.test(stripAnsi(line)));
    const fills = (line: string | undefined) => (line ?? '').split(`${ESC}[48;2;`).length - 1;
    expect(fills(rowLines[0])).toBe(1);
    expect(fills(rowLines[4])).toBe(2);
  });
  it('falls back to brackets on the diagonal without colour', () => {
    const { lastFrame } = render(
      <Heatmap confusion={sampleEvaluation().confusion} color={false} width={100} />,
    );
    const lines = stripAnsi(lastFrame()).split('\n');
    expect(lines.filter((line) => line.includes('[40]'))).toHaveLength(8);
    expect(lines.some((line) => line.includes('[37]'))).toBe(true);
    expect(lines.at(-1)).toContain('[n] = correct');
    expect(lastFrame()).not.toContain('\u001b[48;2');
  });
});

describe('Report', () => {
  it('shows test accuracy, heatmap, the per-class report text and the most confused pairs', () => {
    const evaluation = sampleEvaluation();
    const { lastFrame } = render(
      <Report evaluation={evaluation} testImage={undefined} color={false} width={100} />,
    );
    const frame = stripAnsi(lastFrame());
    expect(frame).toContain('simple test accuracy 99.00% · loss 0.2731 · 400 images · 0.8 s');
    expect(frame).toContain(evaluation.reportText.replace(/\n+$/, ''));
    expect(evaluation.reportText).toContain('weighted avg');
    expect(frame).toContain('Most confused: 4→9 ×3, 7→1 ×1');
  });
});

describe('DashboardApp', () => {
  it('asks to stop on q, shows that it is stopping, and passes a second q on (quit at once)', async () => {
    const store = createRunStore();
    let stops = 0;
    const { stdin, lastFrame } = render(<DashboardApp store={store} onStop={() => stops++} color={false} />);
    store.sink(startEvent);
    store.sink(simpleModel);
    store.sink(progress);
    await tick();
    expect(stripAnsi(lastFrame())).toContain('Press q to stop.');
    stdin.write('q');
    await tick();
    expect(stops).toBe(1);
    expect(stripAnsi(lastFrame())).toContain('Stopping after this batch… (press q again to quit at once)');
    expect(stripAnsi(lastFrame())).not.toContain('Press q to stop.');
    stdin.write('q');
    await tick();
    expect(stops).toBe(2);
  });
  it('shows the status of a slow step until the next event', async () => {
    const store = createRunStore();
    const { lastFrame } = render(<DashboardApp store={store} onStop={() => {}} color={false} />);
    store.sink(startEvent);
    store.dispatch({ type: 'status', text: 'evaluating simple: 2,560 of 10,000 images (26%)' });
    await tick();
    expect(stripAnsi(lastFrame())).toContain('evaluating simple: 2,560 of 10,000 images (26%)');
    store.sink(simpleModel);
    await tick();
    expect(stripAnsi(lastFrame())).not.toContain('evaluating simple: 2,560');
  });
});
