import { formatPercent } from './ProbabilityBars';

/** Props of {@link PredictionPanel}. */
export interface PredictionPanelProps {
  /** The top class and its probability, or null when the canvas is empty. */
  prediction: { label: string; confidence: number } | null;
  /** Why there is no prediction yet, when the model is not ready (shown instead of the prompt). */
  status?: string;
}

/**
 * The answer: the predicted digit and its confidence, or a prompt when nothing is drawn. The digit's element
 * (`data-testid="prediction"`) exists only when there is a prediction, so an empty canvas never shows a guess.
 */
export function PredictionPanel({ prediction, status }: PredictionPanelProps) {
  return (
    <section className="prediction-panel" aria-live="polite" aria-atomic="true">
      {prediction ? (
        <p className="prediction-line">
          <span className="visually-hidden">The model reads </span>
          <output className="prediction" data-testid="prediction">
            {prediction.label}
          </output>
          <span className="confidence">{formatPercent(prediction.confidence)} confident</span>
        </p>
      ) : (
        <p className="prompt" data-testid="prompt">
          {status ?? 'Draw a digit from 0 to 9 in the box.'}
        </p>
      )}
    </section>
  );
}
