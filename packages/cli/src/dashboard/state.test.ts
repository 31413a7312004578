import { describe, expect, it } from 'vitest';
import type { BatchEvent, RunEvent } from '../run/events';
import { throttleBatches } from '../run/events';
import { epochEvent, simpleModel, startEvent } from '../ui/test-helpers';
import { currentRun, dashboardReducer, initialDashboardState, SERIES_LIMIT } from './state';

const batch = (n: number, loss = 1 / n): BatchEvent => ({
  type: 'batch',
  model: 'simple',
  epoch: 1,
  epochs: 5,
  batch: n,
  batches: 1875,
  samples: n * 32,
  samplesTotal: 60000,
  loss,
  accuracy: 1 - loss,
  samplesPerSecond: 1000,
  etaSeconds: 10,
});

describe('dashboardReducer', () => {
  it('builds the log and the current run from events without mutating the state', () => {
    const events: RunEvent[] = [startEvent, simpleModel, batch(1), batch(2), epochEvent(1, 0.5, 0.8)];
    const states = [initialDashboardState];
    for (const event of events) states.push(dashboardReducer(states.at(-1) ?? initialDashboardState, event));
    const final = states.at(-1) ?? initialDashboardState;
    expect(final.log.map((item) => item.key)).toEqual(['header', 'model:simple', 'epoch:simple:1']);
    expect(currentRun(final)?.epochs).toHaveLength(1);
    expect(currentRun(final)?.progress).toBeUndefined();
    expect(currentRun(final)?.lossSeries).toEqual([1, 0.5]);
    expect(currentRun(states[4] ?? initialDashboardState)?.progress?.batch).toBe(2);
    // Earlier states are untouched.
    expect(states[2]?.models[0]?.lossSeries).toEqual([]);
    expect(initialDashboardState.log).toEqual([]);
  });
  it('keeps a bounded series for the charts', () => {
    let state = dashboardReducer(dashboardReducer(initialDashboardState, startEvent), simpleModel);
    for (let n = 1; n <= SERIES_LIMIT + 50; n++) state = dashboardReducer(state, batch(n, n));
    expect(currentRun(state)?.lossSeries).toHaveLength(SERIES_LIMIT);
    expect(currentRun(state)?.lossSeries[0]).toBe(51);
  });
  it('marks a stop request, and ignores it once the run is over', () => {
    const running = dashboardReducer(dashboardReducer(initialDashboardState, startEvent), simpleModel);
    expect(dashboardReducer(running, { type: 'stop-requested' }).stopping).toBe(true);
    const done = dashboardReducer(running, {
      type: 'done',
      aborted: false,
      seconds: 1,
      results: [],
      message: 'ok',
    });
    expect(dashboardReducer(done, { type: 'stop-requested' }).stopping).toBe(false);
  });
});

describe('throttleBatches', () => {
  it('passes at most one batch event per interval, always the last batch of an epoch, and every other event', () => {
    let now = 0;
    const seen: RunEvent[] = [];
    const sink = throttleBatches(
      (event) => seen.push(event),
      250,
      () => now,
    );
    for (let n = 1; n <= 1875; n++) {
      now = n * 10; // a batch every 10 ms
      sink({ ...batch(n), batch: n, batches: 1875 });
    }
    sink(epochEvent(1, 0.5, 0.9));
    const batches = seen.filter((e): e is BatchEvent => e.type === 'batch');
    expect(batches[0]?.batch).toBe(1);
    expect(batches.at(-1)?.batch).toBe(1875);
    for (let i = 1; i < batches.length - 1; i++)
      expect((batches[i]?.batch ?? 0) - (batches[i - 1]?.batch ?? 0)).toBe(25);
    expect(seen.at(-1)?.type).toBe('epoch');
  });
});
