import { formatPercent } from '../format';

/** Props of {@link PredictionPanel}. */
export interface PredictionPanelProps {
  /** The top class and its probability, or null when the canvas is empty. */
  prediction: { label: string; confidence: number } | null;
  /** Why there is no prediction yet, when the model is not ready (shown instead of the prompt). */
  status?: string;
  /** Which model answers, e.g. "cnn" or "your model". */
  modelLabel?: string;
  /**
   * The two digits the model hesitates between (the top one first), when @mnist/models' `classify` verdict says it
   * is not sure: the answer reads "4 or 9?" instead of one digit with false certainty.
   */
  uncertainBetween?: readonly [string, string];
}

/**
 * The answer: the predicted digit and its confidence, or a prompt when nothing is drawn. The digit's element
 * (`data-testid="prediction"`) exists only when there is a prediction, so an empty canvas never shows a guess.
 */
export function PredictionPanel({ prediction, status, modelLabel, uncertainBetween }: PredictionPanelProps) {
  return (
    <section className="prediction-panel" aria-live="polite" aria-atomic="true">
      {prediction ? (
        <>
          <p className="prediction-caption">{modelLabel ? `${modelLabel} reads` : 'The model reads'}</p>
          <p className={`prediction-line${uncertainBetween ? ' uncertain' : ''}`}>
            <output className="prediction" data-testid="prediction">
              {prediction.label}
            </output>
            {uncertainBetween && (
              <span className="prediction-alternative" data-testid="uncertain">
                {' '}
                or {uncertainBetween[1]}?
              </span>
            )}
          </p>
          <p className="confidence">
            {uncertainBetween
              ? `Not sure: ${formatPercent(prediction.confidence)} for ${prediction.label}`
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
