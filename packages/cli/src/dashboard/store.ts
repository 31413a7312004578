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

/** Creates a store starting from `initial` (default: no events yet). */
export function createRunStore(initial: DashboardState = initialDashboardState): RunStore {
  let state = initial;
  const listeners = new Set<RunListener>();
  const dispatch = (action: DashboardAction) => {
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
