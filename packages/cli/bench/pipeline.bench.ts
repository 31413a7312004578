// What the CLI's output costs per training batch, next to doing nothing: the reducer, the batch
// throttle and the JSON and line printers run once per batch callback, so they must stay far below
// the milliseconds a batch takes. Also the cost of rendering the end-of-run views.
import { PIXELS, SIDE } from '@mnist/models';
import { bench, describe } from 'vitest';
import { dashboardReducer, initialDashboardState } from '../src/dashboard/state';
import { createRunStore } from '../src/dashboard/store';
import { evaluationEvent } from '../src/events/evaluation';
import type { BatchEvent, RunEvent } from '../src/events/types';
import { createJsonPrinter } from '../src/output/json';
import { createLinePrinter } from '../src/output/lines';
import { renderHalfBlocks } from '../src/render/halfblock';
import { heatmapLines } from '../src/render/heatmap';
import { renderHtmlReport } from '../src/report/html';
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
  bench('the run store with a line and a JSON listener (what a piped run does)', () => {
    const store = createRunStore();
    const lines = createLinePrinter({ write: (text) => (sink += text.length), color: false, width: 80 });
    const json = createJsonPrinter((text) => {
      sink += text.length;
    });
    store.subscribe((_, action) => {
      if (action.type === 'batch') {
        lines(action);
        json(action);
      }
    });
    store.sink(startEvent);
    store.sink(simpleModel);
    for (const event of batches) store.sink(event);
    sink += store.getState().models.length;
  });
});

const labels = Uint8Array.from({ length: 10000 }, (_, i) => i % 10);
const predictions = Uint8Array.from(labels, (label, i) => (i % 13 === 0 ? (label + 1) % 10 : label));
const evaluation: RunEvent = evaluationEvent({
  model: 'simple',
  labels,
  predictions,
  loss: 0.3,
  seconds: 1,
  classNames: Array.from({ length: 10 }, (_, i) => String(i)),
  // 91% on the predicted class, 1% on each other.
  probabilities: Float32Array.from({ length: 10000 * 10 }, (_, k) =>
    k % 10 === predictions[Math.floor(k / 10)] ? 0.91 : 0.01,
  ),
});
const image = Uint8Array.from({ length: PIXELS }, (_, i) => (i * 37) % 256);
const finalState = [startEvent, simpleModel, ...batches, epochEvent(1, 0.4, 0.9), evaluation].reduce(
  dashboardReducer,
  initialDashboardState,
);

describe('end-of-run views', () => {
  bench('baseline: copy one 28×28 image', () => {
    image.slice();
  });
  bench('one digit as coloured half-blocks', () => {
    renderHalfBlocks(image, SIDE, SIDE, { color: true });
  });
  bench('the heatmap as coloured text', () => {
    heatmapLines(evaluation.confusion, { color: true });
  });
  bench('the HTML report (40 mistake images as PNG)', () => {
    renderHtmlReport(finalState, { testImage: () => image });
  });
});
