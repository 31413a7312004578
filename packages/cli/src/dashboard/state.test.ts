import { describe, expect, it } from 'vitest';
import { throttleBatches } from '../events/throttle';
import type { BatchEvent, RunEvent } from '../events/types';
import { epochEvent, simpleModel, startEvent } from '../ui/test-helpers';
import {
  currentRun,
  type DashboardState,
  dashboardReducer,
  initialDashboardState,
  isRunEvent,
  SERIES_LIMIT,
} from './state';
import { createRunStore } from './store';

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

describe('dashboard-only actions', () => {
  it('keeps a status line until the next event other than batch progress', () => {
    let state = dashboardReducer(initialDashboardState, startEvent);
    state = dashboardReducer(state, { type: 'status', text: 'evaluating: 256 of 10,000 images' });
    expect(state.status).toBe('evaluating: 256 of 10,000 images');
    state = dashboardReducer(dashboardReducer(state, simpleModel), batch(1));
    expect(state.status).toBeUndefined();
    state = dashboardReducer(dashboardReducer(state, { type: 'status', text: 'x' }), batch(2));
    expect(state.status).toBe('x');
  });
  it('tells the run events (what --json prints) from the dashboard-only actions', () => {
    expect(isRunEvent(startEvent)).toBe(true);
    expect(isRunEvent(batch(1))).toBe(true);
    expect(isRunEvent({ type: 'stop-requested' })).toBe(false);
    expect(isRunEvent({ type: 'status', text: '' })).toBe(false);
  });
});

describe('createRunStore', () => {
  it('reduces each event once and hands every listener the same state, in subscription order', () => {
    const store = createRunStore();
    const seen: [string, DashboardState, string][] = [];
    store.subscribe((state, action) => seen.push(['first', state, action.type]));
    const unsubscribe = store.subscribe((state, action) => seen.push(['second', state, action.type]));
    store.sink(startEvent);
    unsubscribe();
    store.sink(simpleModel);
    expect(seen.map(([who, , type]) => `${who}:${type}`)).toEqual([
      'first:start',
      'second:start',
      'first:model',
    ]);
    // One reduction per event: both listeners got the very same state object, and it is the store's.
    expect(seen[0]?.[1]).toBe(seen[1]?.[1]);
    expect(seen[2]?.[1]).toBe(store.getState());
    expect(store.getState().models.map((m) => m.info.model)).toEqual(['simple']);
  });
});
