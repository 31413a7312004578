// What the CLI's output costs per training batch, next to doing nothing: the reducer, the batch
// throttle and the JSON and line printers run once per batch callback, so they must stay far below
// the milliseconds a batch takes. Also the cost of rendering the end-of-run views.
import { confusionMatrix } from '@mnist/metrics';
import { bench, describe } from 'vitest';
import { dashboardReducer, initialDashboardState } from '../src/dashboard/state';
import { createJsonPrinter } from '../src/output/json';
import { createLinePrinter } from '../src/output/lines';
import { renderHalfBlocks } from '../src/render/halfblock';
import { heatmapLines } from '../src/render/heatmap';
import { renderHtmlReport } from '../src/report/html';
import type { BatchEvent, RunEvent } from '../src/run/events';
import { epochEvent, simpleModel, startEvent } from '../src/ui/test-helpers';

const batches: BatchEvent[] = Array.from({ length: 1875 }, (_, i) => ({
  type: 'batch',
  model: 'simple',
  epoch: 1,
  epochs: 5,
  batch: i + 1,
  batches: 1875,
  samples: (i + 1) * 32,
  samplesTotal: 60000,
  loss: 1 / (i + 1),
  accuracy: 1 - 1 / (i + 1),
  samplesPerSecond: 5000,
  etaSeconds: 10,
}));

describe('one epoch of batch events (1,875 batches of 32)', () => {
  let sink = 0;
  bench('baseline: an empty callback', () => {
    for (const event of batches) sink += event.batch;
  });
  bench('dashboard reducer', () => {
    let state = dashboardReducer(dashboardReducer(initialDashboardState, startEvent), simpleModel);
    for (const event of batches) state = dashboardReducer(state, event);
    sink += state.models.length;
  });
  bench('--json printer (throttled)', () => {
    const print = createJsonPrinter((text) => {
      sink += text.length;
    });
    for (const event of batches) print(event);
  });
  bench('line printer', () => {
    const print = createLinePrinter({ write: (text) => (sink += text.length), color: false, width: 80 });
    for (const event of batches) print(event);
  });
});

const labels = Uint8Array.from({ length: 10000 }, (_, i) => i % 10);
const predictions = Uint8Array.from(labels, (label, i) => (i % 13 === 0 ? (label + 1) % 10 : label));
const matrix = confusionMatrix(labels, predictions, { numClasses: 10 });
const evaluation: RunEvent = {
  type: 'evaluation',
  model: 'simple',
  count: 10000,
  loss: 0.3,
  accuracy: matrix.accuracy,
  seconds: 1,
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
    .mostConfused(10)
    .map((p) => ({ actual: p.trueClass, predicted: p.predictedClass, count: p.count, example: 0 })),
  misclassified: Array.from({ length: 100 }, (_, i) => ({
    index: i * 13,
    actual: 0,
    predicted: 1,
    confidence: 0.5,
  })),
  reportText: '',
};
const image = Uint8Array.from({ length: 784 }, (_, i) => (i * 37) % 256);
const finalState = [startEvent, simpleModel, ...batches, epochEvent(1, 0.4, 0.9), evaluation].reduce(
  dashboardReducer,
  initialDashboardState,
);

describe('end-of-run views', () => {
  bench('baseline: copy one 28×28 image', () => {
    image.slice();
  });
  bench('one digit as coloured half-blocks', () => {
    renderHalfBlocks(image, 28, 28, { color: true });
  });
  bench('the heatmap as coloured text', () => {
    heatmapLines(evaluation.confusion, { color: true });
  });
  bench('the HTML report (40 mistake images as PNG)', () => {
    renderHtmlReport(finalState, { testImage: () => image });
  });
});
