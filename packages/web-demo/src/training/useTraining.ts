import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { dataUrl } from '../data/location';
import { wasmPaths } from '../inference/wasm';
import { TrainingClient } from './client';
import type { TrainOutcome } from './protocol';
import type { TrainSettings } from './settings';
import { INITIAL_TRAINING, isRunning, type TrainingState, trainingReducer } from './state';

/** What {@link useTraining} gives the view. */
export interface Training {
  state: TrainingState;
  start(settings: TrainSettings): void;
  stop(): void;
}

/**
 * Runs training in a Web Worker (started on the first Train) and follows it with the view's reducer; calls
 * `onOutcome` once per finished or stopped run, with the model and its test predictions.
 *
 * @param threads - threads the worker may use (absent: as many as the page allows)
 */
export function useTraining(
  onOutcome: (outcome: TrainOutcome, settings: TrainSettings) => void,
  threads?: number,
): Training {
  const [state, dispatch] = useReducer(trainingReducer, INITIAL_TRAINING);
  const settingsRef = useRef<TrainSettings | undefined>(undefined);
  const outcomeRef = useRef(onOutcome);
  outcomeRef.current = onOutcome;

  const client = useMemo(
    () =>
      new TrainingClient(
        () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'mnist-training' }),
        (message) => {
          dispatch({ type: 'worker', message, at: performance.now() });
          if (message.type === 'done' && settingsRef.current)
            outcomeRef.current(message.outcome, settingsRef.current);
        },
      ),
    [],
  );
  useEffect(() => () => client.dispose(), [client]);

  const running = isRunning(state);
  const start = useCallback(
    (settings: TrainSettings) => {
      if (running) return;
      settingsRef.current = settings;
      const job = client.start({
        type: 'train',
        settings,
        dataUrl: dataUrl(),
        wasmPaths: wasmPaths(),
        ...(threads !== undefined && { threads }),
      });
      dispatch({ type: 'start', job, settings, at: performance.now() });
    },
    [client, running, threads],
  );
  const stop = useCallback(() => {
    client.stop();
    dispatch({ type: 'stop' });
  }, [client]);

  return { state, start, stop };
}
