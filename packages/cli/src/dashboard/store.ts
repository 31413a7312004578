import type { EventSink } from '../run/events';
import { type DashboardAction, type DashboardState, dashboardReducer, initialDashboardState } from './state';

/** A tiny external store around {@link dashboardReducer}, read by React through useSyncExternalStore. */
export interface DashboardStore {
  readonly getState: () => DashboardState;
  readonly dispatch: (action: DashboardAction) => void;
  readonly subscribe: (listener: () => void) => () => void;
  /** The store as an event sink for the run. */
  readonly sink: EventSink;
}

/** Creates a store starting from `initial` (default: no events yet). */
export function createDashboardStore(initial: DashboardState = initialDashboardState): DashboardStore {
  let state = initial;
  const listeners = new Set<() => void>();
  const dispatch = (action: DashboardAction) => {
    state = dashboardReducer(state, action);
    for (const listener of listeners) listener();
  };
  return {
    getState: () => state,
    dispatch,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    sink: dispatch,
  };
}
