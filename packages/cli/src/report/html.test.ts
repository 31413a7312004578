import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { dashboardReducer, initialDashboardState } from '../dashboard/state';
import { evaluationEvent } from '../events/evaluation';
import type { RunEvent } from '../events/types';
import { renderHtmlReport } from './html';

/** A run of `evaluate` on 1,000 synthetic images whose model is right 90% of the time and says 95%. */
function overconfidentRun(temperature?: number): RunEvent[] {
  const n = 1000;
  const classNames = Array.from({ length: 10 }, (_, i) => String(i));
  const labels = Array.from({ length: n }, (_, i) => i % 10);
  const predictions = labels.map((label, i) => (i % 10 === 3 ? (label + 1) % 10 : label));
  const probabilities = predictions.flatMap((predicted) =>
    classNames.map((_, c) => (c === predicted ? 0.95 : 0.05 / 9)),
  );
  return [
    {
      type: 'start',
      command: 'evaluate',
      version: '0.0.0',
      time: '2026-01-01T00:00:00.000Z',
      dataset: 'mnist',
      classNames,
      source: { kind: 'dir', location: 'somewhere' },
      trainCount: 0,
      testCount: n,
      backend: { name: 'cpu', reason: 'test' },
      models: ['m'],
      seed: undefined,
      sampleIndices: [],
    },
    {
      type: 'model',
      model: 'm',
      crossEntropy: 'logits',
      summary: 'Dense(10, softmax)',
      parameters: 7850,
      epochs: 0,
      batchSize: 32,
      learningRate: 0.001,
      trainCount: 0,
    },
    evaluationEvent({
      model: 'm',
      labels,
      predictions,
      loss: 0.3,
      seconds: 1,
      classNames,
      probabilities,
      ...(temperature !== undefined && { temperature }),
    }),
  ];
}

function report(events: RunEvent[]): ReturnType<typeof parse> {
  const state = events.reduce(dashboardReducer, initialDashboardState);
  return parse(renderHtmlReport(state, { testImage: () => new Uint8Array(784) }));
}

describe('the HTML report: calibration', () => {
  it('draws the reliability diagram: one bar per non-empty bin at its accuracy, the gap, the ECE in words', () => {
    const root = report(overconfidentRun());
    const svg = root.querySelector('svg.reliability');
    expect(svg).not.toBeNull();
    const bins = svg?.querySelectorAll('rect.bin') ?? [];
    expect(bins).toHaveLength(15);
    const filled = bins.filter((bin) => !bin.classList.contains('empty'));
    // Every image sits in the (0.933, 1] bin, 90% of them right.
    expect(filled).toHaveLength(1);
    expect(Number(filled[0]?.getAttribute('data-count'))).toBe(1000);
    expect(Number(filled[0]?.getAttribute('data-accuracy'))).toBeCloseTo(0.9, 10);
    expect(Number(filled[0]?.getAttribute('data-confidence'))).toBeCloseTo(0.95, 6);
    expect(Number(filled[0]?.getAttribute('data-lower'))).toBeCloseTo(14 / 15, 10);
    // The bar reaches 90% of the plot's height, and the gap outline spans 90%–95%.
    const bar = filled[0];
    const barHeight = Number(bar?.getAttribute('height'));
    const gap = svg?.querySelector('rect.gap');
    expect(Number(gap?.getAttribute('height')) / barHeight).toBeCloseTo(0.05 / 0.9, 1);
    expect(svg?.querySelector('line.diagonal')).not.toBeNull();
    expect(root.querySelector('.ece')?.text).toBe('0.0500');
    expect(root.querySelector('p.calibration')?.text).toMatch(/over-confident/);
    expect(root.querySelector('p.calibration')?.text).not.toMatch(/temperature/);
  });

  it('says which temperature the probabilities were taken at', () => {
    const root = report(overconfidentRun(1.25));
    expect(root.querySelector('p.calibration')?.text).toMatch(/with its temperature 1\.250 applied/);
  });

  it('has no calibration section when the evaluation carries none', () => {
    const events = overconfidentRun();
    const { calibration: _, ...withoutCalibration } = events[2] as Extract<RunEvent, { type: 'evaluation' }>;
    const root = report([...events.slice(0, 2), withoutCalibration]);
    expect(root.querySelector('svg.reliability')).toBeNull();
    expect(root.querySelectorAll('h3').map((h) => h.text)).not.toContain('Calibration');
  });
});
