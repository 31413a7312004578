import { inkShape } from '@mnist/data';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { DrawingCanvas } from './components/DrawingCanvas';
import { type Doubt, PredictionPanel } from './components/PredictionPanel';
import { Preview } from './components/Preview';
import { ProbabilityBars } from './components/ProbabilityBars';
import { browserCanvasFactory, createInputRenderer } from './drawing/canvasToInput';
import { drawingReducer, EMPTY_DRAWING } from './drawing/strokes';
import type { Classification } from './inference/engine';
import type { Inference } from './inference/useInference';
import { useFrameThrottled } from './useFrameThrottled';

/** Props of {@link DrawingDemo}. */
export interface DrawingDemoProps {
  inference: Inference;
  classNames: readonly string[];
  /** Name of the model reading the drawing, for the answer ("your model", "cnn"). */
  modelLabel: string;
}

interface Result {
  input: Float32Array;
  /** Model and backend that produced it: a switch makes it stale. */
  key: string;
  classification: Classification;
}

/**
 * Draw, preview, predict: the canvas as the hero, the answer and "what the model sees" beside it (under it on a
 * phone, still on screen). Every change to the drawing is rendered to the model input at once (the preview
 * follows the pen); classifications run one at a time and always catch up with the latest input, so a slow
 * backend drops intermediate frames instead of queueing them.
 */
export function DrawingDemo({ inference, classNames, modelLabel }: DrawingDemoProps) {
  const [state, dispatch] = useReducer(drawingReducer, EMPTY_DRAWING);
  const toInput = useMemo(() => createInputRenderer(browserCanvasFactory), []);
  const strokes = useFrameThrottled(state.strokes);
  const input = useMemo(() => toInput(strokes), [toInput, strokes]);
  // A tap or a filled blob, scaled up to MNIST's 20 pixels, would read as a confident "0": it is not classified.
  const blob = useMemo(() => input !== null && inkShape(input).solid, [input]);
  const digit = blob ? null : input;
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string>();

  const { classify, activeModel, activeBackend, switching, yoursVersion } = inference;
  const ready = !switching && activeModel !== undefined;
  const key = `${activeModel}/${activeBackend}/${yoursVersion}`;
  const latest = useRef({ input: digit, key });
  latest.current = { input: digit, key };
  const running = useRef(false);

  useEffect(() => {
    if (!ready || !digit || running.current) return;
    running.current = true;
    (async () => {
      for (;;) {
        const job = latest.current;
        if (!job.input) break;
        const classification = await classify(job.input);
        setResult({ input: job.input, key: job.key, classification });
        if (latest.current.input === job.input && latest.current.key === job.key) break;
      }
      setError(undefined);
    })()
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        running.current = false;
      });
    // `key` is a dependency so a model switch re-classifies the drawing on screen.
  }, [ready, digit, classify, key]);

  const shown = digit ? result : null;
  // Pending until the model has answered for exactly what is on the canvas now (tests wait for this).
  const pending =
    strokes !== state.strokes || (digit !== null && (result?.input !== digit || result.key !== key));
  const status = error
    ? `Could not classify: ${error}`
    : inference.error
      ? `The model could not start: ${inference.error}`
      : blob
        ? 'Draw the digit as strokes: a dot or a filled blob is not a digit.'
        : digit && !shown
          ? 'Loading the model…'
          : undefined;
  return (
    <div className="draw-layout">
      <DrawingCanvas state={state} dispatch={dispatch} />
      <div className="answer" data-testid="answer" data-pending={pending}>
        <div className="answer-top">
          <PredictionPanel
            prediction={
              shown
                ? {
                    label: classNames[shown.classification.label] ?? String(shown.classification.label),
                    confidence: shown.classification.confidence,
                  }
                : null
            }
            status={status}
            modelLabel={modelLabel}
            {...(shown && { doubt: doubtOf(shown.classification, classNames) })}
          />
          <Preview input={input} />
        </div>
        <ProbabilityBars
          probabilities={shown?.classification.probabilities ?? null}
          classNames={classNames}
        />
      </div>
    </div>
  );
}

/** The panel's doubt from a classification's verdict: none when confident, "?" when unreadable, else the runner-up. */
function doubtOf(classification: Classification, classNames: readonly string[]): Doubt | undefined {
  const { verdict, probabilities } = classification;
  if (verdict.kind === 'confident') return undefined;
  if (verdict.reason === 'unreadable') return { kind: 'unreadable' };
  return {
    kind: 'between',
    alternative: classNames[verdict.alternative] ?? String(verdict.alternative),
    alternativeConfidence: probabilities[verdict.alternative] ?? 0,
  };
}
