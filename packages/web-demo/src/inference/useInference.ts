import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { InferenceTiming } from '../components/BackendPicker';
import { type Classification, InferenceEngine } from './engine';
import type { BackendName, ModelName } from './names';
import { appendTiming, summariseTimings } from './timing';

/** What {@link useInference} gives the page. */
export interface Inference {
  engine: InferenceEngine;
  /** The model and backend the visitor chose. */
  model: ModelName;
  backend: BackendName;
  setModel: (name: ModelName) => void;
  setBackend: (name: BackendName) => void;
  /** What is actually loaded and running (undefined while starting). */
  activeModel: ModelName | undefined;
  activeBackend: string | undefined;
  /** True while a backend or model switch is in progress. */
  switching: boolean;
  error: string | undefined;
  timing: InferenceTiming | undefined;
  /** Classifies one input and records its time. */
  classify: (input: Float32Array) => Promise<Classification>;
}

/** Starts tfjs with the chosen backend and model, switches on request, and keeps inference timings. */
export function useInference(initial: { model: ModelName; backend: BackendName }): Inference {
  const engine = useMemo(() => new InferenceEngine(), []);
  const [model, setModel] = useState<ModelName>(initial.model);
  const [backend, setBackend] = useState<BackendName>(initial.backend);
  const [activeModel, setActiveModel] = useState<ModelName>();
  const [activeBackend, setActiveBackend] = useState<string>();
  const [switching, setSwitching] = useState(true);
  const [error, setError] = useState<string>();
  const [samples, setSamples] = useState<number[]>([]);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    setSwitching(true);
    setError(undefined);
    (async () => {
      const active = await engine.useBackend(backend);
      await engine.useModel(model);
      if (mine !== generation.current) return;
      setActiveBackend(active);
      setActiveModel(model);
      setSamples([]); // timings belong to one backend and model
    })()
      .catch((e: unknown) => {
        if (mine === generation.current) setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (mine === generation.current) setSwitching(false);
      });
  }, [engine, backend, model]);

  const classify = useCallback(
    async (input: Float32Array) => {
      const result = await engine.classify(input);
      setSamples((s) => appendTiming(s, result.ms));
      return result;
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
    switching,
    error,
    timing: summariseTimings(samples),
    classify,
  };
}
