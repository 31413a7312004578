import type { EpochLog } from '@mnist/models';
import { describe, expect, it } from 'vitest';
import type { FromWorker, TrainOutcome } from './protocol';
import {
  downloadTotals,
  etaSeconds,
  formatDuration,
  INITIAL_TRAINING,
  isRunning,
  type TrainingAction,
  type TrainingState,
  trainingProgress,
  trainingReducer,
} from './state';

const settings = {
  model: 'simple' as const,
  epochs: 2,
  batchSize: 100,
  learningRate: 0.001,
  seed: 1,
  trainImages: 1000,
};
const runtime = { backend: 'wasm', simd: true, isolated: false };

const epochLog = (epoch: number, loss: number, accuracy: number): EpochLog => ({
  epoch,
  epochs: 2,
  loss,
  accuracy,
  seconds: 2,
  samplesPerSecond: 500,
  learningRate: 0.001,
});

function run(actions: TrainingAction[], from: TrainingState = INITIAL_TRAINING): TrainingState {
  return actions.reduce(trainingReducer, from);
}

const worker = (message: FromWorker, at = 0): TrainingAction => ({ type: 'worker', message, at });

describe('training view state', () => {
  it('follows a job from the download to the result', () => {
    let s = run([{ type: 'start', job: 7, settings, at: 0 }]);
    expect(s.phase).toBe('downloading');
    expect(isRunning(s)).toBe(true);
    s = run(
      [
        worker({ type: 'download', job: 7, progress: { file: 'a.gz', bytesDone: 50, bytesTotal: 100 } }),
        worker({
          type: 'download',
          job: 7,
          progress: { file: 'b.gz', bytesDone: 10, bytesTotal: undefined },
        }),
      ],
      s,
    );
    expect(downloadTotals(s)).toEqual({ bytesDone: 60, bytesTotal: undefined });
    expect(downloadTotals(s, { 'a.gz': 100, 'b.gz': 400 })).toEqual({ bytesDone: 60, bytesTotal: 500 });

    s = run([worker({ type: 'started', job: 7, runtime, batchesPerEpoch: 10 }, 1000)], s);
    expect(s.phase).toBe('training');
    expect(s.runtime).toEqual(runtime);
    expect(etaSeconds(s)).toBeUndefined();

    const batch = (epoch: number, batchNo: number, at: number) =>
      worker(
        {
          type: 'batch',
          job: 7,
          log: {
            epoch,
            batch: batchNo,
            batches: 10,
            samplesSeen: batchNo * 100,
            loss: 1 / batchNo,
            accuracy: batchNo / 10,
            samplesPerSecond: 100,
          },
        },
        at,
      );
    s = run([batch(1, 5, 2000)], s);
    // 500 of 2,000 samples in 1 s: 1,500 left at the same pace.
    expect(trainingProgress(s)).toEqual({ done: 500, total: 2000 });
    expect(etaSeconds(s)).toBeCloseTo(3, 10);
    s = run([batch(1, 10, 3000), worker({ type: 'epoch', job: 7, log: epochLog(1, 0.5, 0.8) }, 3000)], s);
    expect(trainingProgress(s)).toEqual({ done: 1000, total: 2000 });
    s = run([batch(2, 2, 3400)], s);
    // The second epoch's curve continues after the first one's samples.
    expect(s.curve.map((p) => p.samples)).toEqual([500, 1000, 1200]);
    expect(s.curve.map((p) => p.epoch)).toEqual([1, 1, 2]);
    expect(trainingProgress(s)).toEqual({ done: 1200, total: 2000 });

    s = run([worker({ type: 'epoch', job: 7, log: epochLog(2, 0.3, 0.9) }, 4000)], s);
    expect(s.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    s = run([worker({ type: 'evaluating', job: 7, done: 1000, total: 10000 })], s);
    expect(s.phase).toBe('evaluating');
    expect(etaSeconds(s)).toBeUndefined();
    const outcome = { stopped: false } as TrainOutcome;
    s = run([worker({ type: 'done', job: 7, outcome })], s);
    expect(s.phase).toBe('done');
    expect(s.outcome).toBe(outcome);
    expect(isRunning(s)).toBe(false);
  });

  it('ignores replies of other jobs, and a new start forgets the last run', () => {
    let s = run([{ type: 'start', job: 2, settings, at: 0 }]);
    s = run([worker({ type: 'started', job: 1, runtime, batchesPerEpoch: 10 })], s);
    expect(s.phase).toBe('downloading');
    s = run(
      [worker({ type: 'failed', job: 2, failure: { kind: 'download', message: 'cut', retry: true } })],
      s,
    );
    expect(s.phase).toBe('failed');
    expect(s.failure?.retry).toBe(true);
    s = run([{ type: 'start', job: 3, settings, at: 10 }], s);
    expect(s.failure).toBeUndefined();
    expect(s.job).toBe(3);
  });

  it('marks a stop request until the worker confirms it', () => {
    expect(run([{ type: 'stop' }])).toBe(INITIAL_TRAINING);
    let s = run([{ type: 'start', job: 1, settings, at: 0 }, { type: 'stop' }]);
    expect(s.stopping).toBe(true);
    s = run([worker({ type: 'cancelled', job: 1 })], s);
    expect(s).toMatchObject({ phase: 'cancelled', stopping: false });
  });

  it('formats durations for the ETA', () => {
    expect(formatDuration(4.4)).toBe('4 s');
    expect(formatDuration(65)).toBe('1 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(-3)).toBe('0 s');
  });
});
