import type { EventSink } from '../events/types';
import { type DashboardAction, type DashboardState, dashboardReducer, initialDashboardState } from './state';

/** Called after each action with the new state and the action that made it. */
export type RunListener = (state: DashboardState, action: DashboardAction) => void;

/**
 * The one store of a run: {@link dashboardReducer} runs once per event, and every output listens here
 * (the Ink dashboard through useSyncExternalStore, the line and JSON printers, the HTML report).
 */
export interface RunStore {
  readonly getState: () => DashboardState;
  readonly dispatch: (action: DashboardAction) => void;
  /** Listeners are called in the order they subscribed; returns a function that unsubscribes. */
  readonly subscribe: (listener: RunListener) => () => void;
  /** The store as the commands' event sink. */
  readonly sink: EventSink;
}

/**
 * Creates a store starting from `initial` (default: no events yet). `prepare`, when given, rewrites each action
 * before the store sees it (the dashboard's store makes every string terminal-safe).
 */
export function createRunStore(
  initial: DashboardState = initialDashboardState,
  prepare?: (action: DashboardAction) => DashboardAction,
): RunStore {
  let state = initial;
  const listeners = new Set<RunListener>();
  const dispatch = (given: DashboardAction) => {
    const action = prepare === undefined ? given : prepare(given);
    state = dashboardReducer(state, action);
    for (const listener of listeners) listener(state, action);
  };
  return {
    getState: () => state,
    dispatch,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    sink: dispatch,
  };
}
