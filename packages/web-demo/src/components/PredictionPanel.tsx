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
  /** The runner-up's probability, shown beside the top one's when the model hesitates. */
  alternativeConfidence?: number;
  /** No digit stands out (a flat output, @mnist/models' `unreadable` verdict): say so instead of naming digits. */
  unreadable?: boolean;
}

/**
 * The answer: the predicted digit and its confidence, or a prompt when nothing is drawn. The digit's element
 * (`data-testid="prediction"`) exists only when there is a prediction, so an empty canvas never shows a guess.
 */
export function PredictionPanel({
  prediction,
  status,
  modelLabel,
  uncertainBetween,
  alternativeConfidence,
  unreadable,
}: PredictionPanelProps) {
  const uncertain = uncertainBetween !== undefined && !unreadable;
  return (
    <section className="prediction-panel" aria-live="polite" aria-atomic="true">
      {prediction ? (
        <>
          <p className="prediction-caption">{modelLabel ? `${modelLabel} reads` : 'The model reads'}</p>
          <p className={`prediction-line${uncertain || unreadable ? ' uncertain' : ''}`}>
            <output className="prediction" data-testid="prediction">
              {unreadable ? '?' : prediction.label}
            </output>
            {uncertain && (
              <span className="prediction-alternative" data-testid="uncertain">
                {' '}
                or {uncertainBetween[1]}?
              </span>
            )}
          </p>
          <p className="confidence" data-testid="confidence">
            {unreadable
              ? `I can't read this: no digit stands out (${prediction.label} is the likeliest, at ${formatPercent(prediction.confidence)})`
              : uncertain
                ? `Not sure: ${prediction.label} ${formatPercent(prediction.confidence)}${alternativeConfidence === undefined ? '' : `, ${uncertainBetween[1]} ${formatPercent(alternativeConfidence)}`}`
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
