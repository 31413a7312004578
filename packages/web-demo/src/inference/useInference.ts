import type { ModelFiles } from '@mnist/models/browser';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { InferenceTiming } from '../components/ModelBar';
import { type Classification, InferenceEngine } from './engine';
import { type BackendName, type ModelChoice, YOURS } from './names';
import { appendTiming, summariseTimings } from './timing';

/** What {@link useInference} gives the page. */
export interface Inference {
  engine: InferenceEngine;
  /** The model and backend the visitor chose. */
  model: ModelChoice;
  backend: BackendName;
  setModel: (name: ModelChoice) => void;
  setBackend: (name: BackendName) => void;
  /** What is actually loaded and running (undefined while starting). */
  activeModel: ModelChoice | undefined;
  activeBackend: string | undefined;
  /** The active model's layers, one line. */
  activeLayers: string | undefined;
  /** True while a backend or model switch is in progress. */
  switching: boolean;
  error: string | undefined;
  timing: InferenceTiming | undefined;
  /** Classifies one input and records its time. */
  classify: (input: Float32Array) => Promise<Classification>;
  /**
   * Sets the visitor's own model (checked by loading it; rejects with the reason otherwise), or forgets it with
   * undefined. Resolves to the model's architecture name.
   */
  setYours: (files: ModelFiles | undefined) => Promise<string | undefined>;
  /** Whether the visitor has a model of their own. */
  hasYours: boolean;
  /** Changes each time the visitor's model changes (results made with an older one are stale). */
  yoursVersion: number;
}

/**
 * Starts tfjs with the chosen backend and model, switches on request, and keeps inference timings.
 *
 * @param waitForYours - a page that starts on "yours" waits until the visitor's model is set (the caller reads it
 *   from storage, or switches to another model when there is none) instead of failing
 */
export function useInference(
  initial: { model: ModelChoice; backend: BackendName },
  waitForYours = false,
): Inference {
  const engine = useMemo(() => new InferenceEngine(), []);
  const [model, setModel] = useState<ModelChoice>(initial.model);
  const [backend, setBackend] = useState<BackendName>(initial.backend);
  const [activeModel, setActiveModel] = useState<ModelChoice>();
  const [activeBackend, setActiveBackend] = useState<string>();
  const [activeLayers, setActiveLayers] = useState<string>();
  const [switching, setSwitching] = useState(true);
  const [error, setError] = useState<string>();
  const [samples, setSamples] = useState<number[]>([]);
  const [yoursVersion, setYoursVersion] = useState(0);
  const [hasYours, setHasYours] = useState(false);
  const generation = useRef(0);
  const waiting = model === YOURS && !hasYours && waitForYours;

  useEffect(() => {
    const mine = ++generation.current;
    setSwitching(true);
    setError(undefined);
    (async () => {
      // The backend starts at once, also while waiting for the visitor's model (loading it needs a backend).
      const active = await engine.useBackend(backend);
      if (waiting) return;
      await engine.useModel(model);
      if (mine !== generation.current) return;
      setActiveBackend(active);
      setActiveModel(model);
      setActiveLayers(engine.activeLayers);
      setSamples([]); // timings belong to one backend and model
    })()
      .catch((e: unknown) => {
        if (mine === generation.current) setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (mine === generation.current) setSwitching(false);
      });
  }, [engine, backend, model, waiting]);

  const classify = useCallback(
    async (input: Float32Array) => {
      const result = await engine.classify(input);
      setSamples((s) => appendTiming(s, result.ms));
      return result;
    },
    [engine],
  );

  const setYours = useCallback(
    async (files: ModelFiles | undefined) => {
      const described = await engine.setYours(files);
      setHasYours(files !== undefined);
      setYoursVersion((v) => v + 1);
      if (engine.activeModel === YOURS) {
        setActiveLayers(engine.activeLayers);
        setSamples([]);
      }
      return described?.name;
    },
    [engine],
  );

  return {
    engine,
    model,
    backend,
    setModel,
    setBackend,
    activeModel,
    activeBackend,
    activeLayers,
    switching: switching || waiting,
    error,
    timing: summariseTimings(samples),
    classify,
    setYours,
    hasYours,
    yoursVersion,
  };
}
