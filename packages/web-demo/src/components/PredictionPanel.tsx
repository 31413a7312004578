import { formatPercent } from '../format';

/**
 * How unsure the model is, from @mnist/models' verdict (absent when it is confident): it hesitates between the
 * predicted digit and a runner-up ("4 or 9?"), or no digit stands out at all (a flat output: "?").
 */
export type Doubt =
  | { kind: 'between'; alternative: string; alternativeConfidence: number }
  | { kind: 'unreadable' };

/** Props of {@link PredictionPanel}. */
export interface PredictionPanelProps {
  /** The top class and its probability, or null when the canvas is empty. */
  prediction: { label: string; confidence: number } | null;
  /** Why there is no prediction yet, when the model is not ready (shown instead of the prompt). */
  status?: string;
  /** Which model answers, e.g. "cnn" or "your model". */
  modelLabel?: string;
  /** Set when the model is not sure: the answer reads "4 or 9?" or "?" instead of one digit with false certainty. */
  doubt?: Doubt;
}

/**
 * The answer: the predicted digit and its confidence, or a prompt when nothing is drawn. The digit's element
 * (`data-testid="prediction"`) exists only when there is a prediction, so an empty canvas never shows a guess.
 */
export function PredictionPanel({ prediction, status, modelLabel, doubt }: PredictionPanelProps) {
  return (
    <section className="prediction-panel" aria-live="polite" aria-atomic="true">
      {prediction ? (
        <>
          <p className="prediction-caption">{modelLabel ? `${modelLabel} reads` : 'The model reads'}</p>
          <p className={`prediction-line${doubt ? ' uncertain' : ''}`}>
            <output className="prediction" data-testid="prediction">
              {doubt?.kind === 'unreadable' ? '?' : prediction.label}
            </output>
            {doubt?.kind === 'between' && (
              <span className="prediction-alternative" data-testid="uncertain">
                {' '}
                or {doubt.alternative}?
              </span>
            )}
          </p>
          <p className="confidence" data-testid="confidence">
            {doubt?.kind === 'unreadable'
              ? `I can't read this: no digit stands out (${prediction.label} is the likeliest, at ${formatPercent(prediction.confidence)})`
              : doubt?.kind === 'between'
                ? `Not sure: ${prediction.label} ${formatPercent(prediction.confidence)}, ${doubt.alternative} ${formatPercent(doubt.alternativeConfidence)}`
                : `${formatPercent(prediction.confidence)} sure`}
          </p>
        </>
      ) : (
        <p className="prompt" data-testid="prompt">
          {status ?? 'Draw a digit from 0 to 9 in the box.'}
        </p>
      )}
    </section>
  );
}
