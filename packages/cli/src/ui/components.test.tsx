import { confusionMatrix } from '@mnist/metrics';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { cellColor } from '../render/heatmap';
import { dashboardReducer, initialDashboardState } from '../dashboard/state';
import { createDashboardStore } from '../dashboard/store';
import type { BatchEvent, EvaluationEvent } from '../run/events';
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
      'simple: Dense(10, sigmoid) · 7,850 parameters · 5 epochs, batch 32, Adam lr 0.001',
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

/** An evaluation built with @mnist/metrics from labels: 3 of the 40 images of class 4 predicted as 9. */
function sampleEvaluation(): EvaluationEvent {
  const yTrue: number[] = [];
  const yPred: number[] = [];
  for (let label = 0; label < 10; label++) {
    for (let k = 0; k < 40; k++) {
      yTrue.push(label);
      yPred.push(label === 4 && k < 3 ? 9 : label === 7 && k < 1 ? 1 : label);
    }
  }
  const matrix = confusionMatrix(yTrue, yPred, { numClasses: 10 });
  return {
    type: 'evaluation',
    model: 'simple',
    count: yTrue.length,
    loss: 0.2731,
    accuracy: matrix.accuracy,
    seconds: 0.8,
    confusion: matrix.rows(),
    classes: matrix.classes.map((c) => ({
      label: c.index,
      name: c.name,
      precision: c.precision,
      recall: c.recall,
      f1: c.f1,
      support: c.support,
    })),
    macro: matrix.macroAvg,
    weighted: matrix.weightedAvg,
    mostConfused: matrix
      .mostConfused(3)
      .map((p) => ({ actual: p.trueClass, predicted: p.predictedClass, count: p.count, example: 0 })),
    misclassified: [],
    reportText: 'REPORT-TEXT\nsecond line\n',
  };
}

describe('Heatmap', () => {
  it('draws 10 rows of 10 counts and a colour legend', () => {
    const evaluation = sampleEvaluation();
    const { lastFrame } = render(<Heatmap confusion={evaluation.confusion} color={true} width={100} />);
    const frame = lastFrame() ?? '';
    const lines = stripAnsi(frame).split('\n');
    expect(lines[0]).toBe('Confusion matrix (rows: true class, columns: predicted)');
    const rows = lines.filter((line) => /^ +\d {2}/.test(line));
    expect(rows).toHaveLength(10);
    expect(rows[4]?.trim().split(/\s+/).map(Number)).toEqual([4, 0, 0, 0, 0, 37, 0, 0, 0, 0, 3]);
    expect(lines.at(-1)).toMatch(/^ +0% +100% of the true class$/);
    // Cells are coloured by their share of the true class: 40/40, 37/40, 3/40 and 0 each have their colour.
    for (const share of [1, 37 / 40, 3 / 40, 0]) {
      expect(frame).toContain(`\u001b[48;2;${cellColor(share).join(';')}m`);
    }
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
    expect(frame).toContain('REPORT-TEXT\nsecond line');
    expect(frame).toContain('Most confused: 4→9 ×3, 7→1 ×1');
  });
});

describe('DashboardApp', () => {
  it('asks to stop on q and shows that it is stopping', async () => {
    const store = createDashboardStore();
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
    expect(stripAnsi(lastFrame())).toContain('Stopping after this batch…');
    stdin.write('q');
    await tick();
    expect(stops).toBe(1);
  });
});
