import type {
  BatchEvent,
  DoneEvent,
  EpochEvent,
  ErrorEvent,
  EvaluationEvent,
  ModelEvent,
  RunEvent,
  StartEvent,
} from '../events/types';
import { reportText, savedText } from '../render/messages';

/** A dashboard-only action: the user asked to stop (the run stops at the next batch boundary). */
export interface StopRequested {
  readonly type: 'stop-requested';
}

/** A dashboard-only action: how far a slow step is (downloads, evaluation), shown until the next event. */
export interface StatusUpdate {
  readonly type: 'status';
  readonly text: string;
}

/** Everything the reducer accepts: the run's events and the two dashboard-only actions. */
export type DashboardAction = RunEvent | StopRequested | StatusUpdate;

/** True for the run's own events (what `--json` prints), false for the dashboard-only actions. */
export function isRunEvent(action: DashboardAction): action is RunEvent {
  return action.type !== 'stop-requested' && action.type !== 'status';
}

/** One item of the append-only log that the dashboard prints once (Ink's <Static>). */
export type LogItem =
  | { readonly kind: 'header'; readonly key: string; readonly start: StartEvent }
  | { readonly kind: 'model'; readonly key: string; readonly model: ModelEvent }
  | { readonly kind: 'epoch'; readonly key: string; readonly epoch: EpochEvent; readonly first: boolean }
  | { readonly kind: 'evaluation'; readonly key: string; readonly evaluation: EvaluationEvent }
  | { readonly kind: 'note'; readonly key: string; readonly text: string };

/** What the dashboard knows about one model's run. */
export interface ModelRunState {
  readonly info: ModelEvent;
  readonly epochs: readonly EpochEvent[];
  /** The running epoch's latest progress, cleared when the epoch ends. */
  readonly progress: BatchEvent | undefined;
  /** Running loss and accuracy at each batch event, for the live charts (the newest {@link SERIES_LIMIT}). */
  readonly lossSeries: readonly number[];
  readonly accuracySeries: readonly number[];
  /** Where each series point sits in the run, in epochs (1.5 = half-way through the second epoch). */
  readonly positionSeries: readonly number[];
  readonly evaluation: EvaluationEvent | undefined;
  readonly saved: string | undefined;
}

/** The whole dashboard state: a pure function of the events so far. */
export interface DashboardState {
  readonly start: StartEvent | undefined;
  readonly models: readonly ModelRunState[];
  /** Name of the model being trained or evaluated now. */
  readonly current: string | undefined;
  readonly log: readonly LogItem[];
  readonly stopping: boolean;
  /** The latest progress of a slow step, cleared by the next event other than batch progress. */
  readonly status: string | undefined;
  readonly done: DoneEvent | undefined;
  readonly error: ErrorEvent | undefined;
}

/** Points kept per chart series; charts down-sample them to the terminal's width. */
export const SERIES_LIMIT = 600;

/** The state before any event. */
export const initialDashboardState: DashboardState = {
  start: undefined,
  models: [],
  current: undefined,
  log: [],
  stopping: false,
  status: undefined,
  done: undefined,
  error: undefined,
};

const append = (series: readonly number[], value: number): readonly number[] =>
  series.length >= SERIES_LIMIT
    ? [...series.slice(series.length - SERIES_LIMIT + 1), value]
    : [...series, value];

function updateModel(
  state: DashboardState,
  name: string,
  update: (model: ModelRunState) => ModelRunState,
): readonly ModelRunState[] {
  return state.models.map((model) => (model.info.model === name ? update(model) : model));
}

/** Folds one event (or a dashboard-only action) into the dashboard state. Pure: never mutates `state`. */
export function dashboardReducer(state: DashboardState, action: DashboardAction): DashboardState {
  if (action.type === 'status') return { ...state, status: action.text };
  const next = reduceEvent(state, action);
  return next.status !== undefined && action.type !== 'batch' && action.type !== 'stop-requested'
    ? { ...next, status: undefined }
    : next;
}

function reduceEvent(state: DashboardState, action: RunEvent | StopRequested): DashboardState {
  switch (action.type) {
    case 'start':
      return {
        ...state,
        start: action,
        log: [...state.log, { kind: 'header', key: 'header', start: action }],
      };
    case 'model': {
      const run: ModelRunState = {
        info: action,
        epochs: [],
        progress: undefined,
        lossSeries: [],
        accuracySeries: [],
        positionSeries: [],
        evaluation: undefined,
        saved: undefined,
      };
      return {
        ...state,
        models: [...state.models.filter((m) => m.info.model !== action.model), run],
        current: action.model,
        log: [...state.log, { kind: 'model', key: `model:${action.model}`, model: action }],
      };
    }
    case 'batch':
      return {
        ...state,
        models: updateModel(state, action.model, (model) => ({
          ...model,
          progress: action,
          lossSeries: append(model.lossSeries, action.loss),
          accuracySeries: append(model.accuracySeries, action.accuracy),
          positionSeries: append(
            model.positionSeries,
            action.epoch - 1 + (action.samplesTotal > 0 ? action.samples / action.samplesTotal : 0),
          ),
        })),
      };
    case 'epoch': {
      const model = state.models.find((m) => m.info.model === action.model);
      return {
        ...state,
        models: updateModel(state, action.model, (m) => ({
          ...m,
          epochs: [...m.epochs, action],
          progress: undefined,
        })),
        log: [
          ...state.log,
          {
            kind: 'epoch',
            key: `epoch:${action.model}:${action.epoch}`,
            epoch: action,
            first: (model?.epochs.length ?? 0) === 0,
          },
        ],
      };
    }
    case 'evaluation':
      return {
        ...state,
        current: action.model,
        models: updateModel(state, action.model, (m) => ({ ...m, evaluation: action, progress: undefined })),
        log: [...state.log, { kind: 'evaluation', key: `evaluation:${action.model}`, evaluation: action }],
      };
    case 'saved':
      return {
        ...state,
        models: updateModel(state, action.model, (m) => ({ ...m, saved: action.dir })),
        log: [...state.log, { kind: 'note', key: `saved:${action.model}`, text: savedText(action) }],
      };
    case 'report':
      return {
        ...state,
        log: [...state.log, { kind: 'note', key: `report:${action.file}`, text: reportText(action) }],
      };
    case 'done':
      return { ...state, done: action, current: undefined, stopping: false };
    case 'error':
      return { ...state, error: action, current: undefined, stopping: false };
    case 'stop-requested':
      return state.done || state.error ? state : { ...state, stopping: true };
  }
}

/** The model currently training (with its progress), if any. */
export function currentRun(state: DashboardState): ModelRunState | undefined {
  return state.models.find((m) => m.info.model === state.current);
}
