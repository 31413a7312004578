// The training view as data: a pure reducer over what the visitor does and what the worker reports. The view is a
// function of this state, so it is tested without a browser or a worker.
import type { BatchLog, EpochLog } from '@mnist/models';
import { sumProgress } from '../data/progress';
import type { DownloadProgress, Failure, FromWorker, TrainOutcome, WorkerRuntime } from './protocol';
import type { TrainSettings } from './settings';

/** One point of the live curves: after `samples` training samples in total, the epoch's running loss/accuracy. */
export interface CurvePoint {
  /** Samples trained on since the start, over all epochs (the x axis). */
  samples: number;
  /** Epoch number, 1-based. */
  epoch: number;
  loss: number;
  accuracy: number;
}

/** Where a run is. */
export type TrainingPhase =
  | 'idle'
  | 'downloading'
  | 'training'
  | 'evaluating'
  | 'done'
  | 'cancelled'
  | 'failed';

/** Everything the training view shows. */
export interface TrainingState {
  phase: TrainingPhase;
  /** The job the page is following (replies of other jobs are ignored). */
  job: number | undefined;
  /** The settings of the current (or last) run. */
  settings: TrainSettings | undefined;
  /** Stop was pressed; the worker stops after the batch it is on. */
  stopping: boolean;
  /** Bytes received per data file. */
  download: Readonly<Record<string, DownloadProgress>>;
  runtime: WorkerRuntime | undefined;
  batchesPerEpoch: number;
  /** Live curves, one point per batch report. */
  curve: readonly CurvePoint[];
  /** Finished epochs. */
  epochs: readonly EpochLog[];
  /** The latest batch report. */
  batch: BatchLog | undefined;
  /** Page clock (ms) when training proper began (after the download), for the ETA. */
  trainingStartedAt: number | undefined;
  /** Page clock (ms) of the last report. */
  lastReportAt: number | undefined;
  evaluation: { done: number; total: number } | undefined;
  outcome: TrainOutcome | undefined;
  failure: Failure | undefined;
}

/** The state before anything was trained. */
export const INITIAL_TRAINING: TrainingState = {
  phase: 'idle',
  job: undefined,
  settings: undefined,
  stopping: false,
  download: {},
  runtime: undefined,
  batchesPerEpoch: 0,
  curve: [],
  epochs: [],
  batch: undefined,
  trainingStartedAt: undefined,
  lastReportAt: undefined,
  evaluation: undefined,
  outcome: undefined,
  failure: undefined,
};

/** What can happen to the view. `at` is the page clock (`performance.now()`), passed in to keep this pure. */
export type TrainingAction =
  | { type: 'start'; job: number; settings: TrainSettings; at: number }
  | { type: 'stop' }
  | { type: 'worker'; message: FromWorker; at: number };

/** True while a job runs (Train is disabled, Stop enabled). */
export function isRunning(state: TrainingState): boolean {
  return state.phase === 'downloading' || state.phase === 'training' || state.phase === 'evaluating';
}

/** The reducer. */
export function trainingReducer(state: TrainingState, action: TrainingAction): TrainingState {
  switch (action.type) {
    case 'start':
      return { ...INITIAL_TRAINING, phase: 'downloading', job: action.job, settings: action.settings };
    case 'stop':
      return isRunning(state) ? { ...state, stopping: true } : state;
    case 'worker':
      return action.message.job === state.job ? onMessage(state, action.message, action.at) : state;
  }
}

function onMessage(state: TrainingState, message: FromWorker, at: number): TrainingState {
  switch (message.type) {
    case 'download':
      return {
        ...state,
        download: { ...state.download, [message.progress.file]: message.progress },
      };
    case 'started':
      return {
        ...state,
        phase: 'training',
        runtime: message.runtime,
        batchesPerEpoch: message.batchesPerEpoch,
        trainingStartedAt: at,
        lastReportAt: at,
      };
    case 'batch': {
      const trainImages = state.settings?.trainImages ?? 0;
      const point: CurvePoint = {
        samples: (message.log.epoch - 1) * trainImages + message.log.samplesSeen,
        epoch: message.log.epoch,
        loss: message.log.loss,
        accuracy: message.log.accuracy,
      };
      return { ...state, batch: message.log, curve: [...state.curve, point], lastReportAt: at };
    }
    case 'epoch':
      return { ...state, epochs: [...state.epochs, message.log], lastReportAt: at };
    case 'evaluating':
      return { ...state, phase: 'evaluating', evaluation: { done: message.done, total: message.total } };
    case 'done':
      return { ...state, phase: 'done', stopping: false, outcome: message.outcome };
    case 'cancelled':
      return { ...state, phase: 'cancelled', stopping: false };
    case 'failed':
      return { ...state, phase: 'failed', stopping: false, failure: message.failure };
  }
}

/** Bytes received so far over all files, and the total (see {@link sumProgress}). */
export function downloadTotals(
  state: TrainingState,
  expected?: Readonly<Record<string, number>>,
): { bytesDone: number; bytesTotal: number | undefined } {
  return sumProgress(state.download, expected);
}

/** Samples trained so far and planned in all, over every epoch. */
export function trainingProgress(state: TrainingState): { done: number; total: number } {
  const settings = state.settings;
  if (!settings) return { done: 0, total: 0 };
  const perEpoch = settings.trainImages;
  const total = perEpoch * settings.epochs;
  const finished = state.epochs.length * perEpoch;
  const current = state.batch && state.batch.epoch > state.epochs.length ? state.batch.samplesSeen : 0;
  return { done: Math.min(total, finished + current), total };
}

/**
 * Seconds left for training, from the throughput so far (undefined until there is a measurement). Evaluation
 * afterwards is short and not counted.
 */
export function etaSeconds(state: TrainingState): number | undefined {
  if (
    state.phase !== 'training' ||
    state.trainingStartedAt === undefined ||
    state.lastReportAt === undefined
  ) {
    return undefined;
  }
  const { done, total } = trainingProgress(state);
  const elapsed = (state.lastReportAt - state.trainingStartedAt) / 1000;
  if (done === 0 || elapsed <= 0) return undefined;
  return ((total - done) * elapsed) / done;
}

/** "12 s", "3 min 05 s", "1 h 02 min": a duration for the ETA line. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
