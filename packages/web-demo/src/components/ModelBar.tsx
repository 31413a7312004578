import { Segmented } from './Segmented';

/** Inference time statistics for the active backend and model. */
export interface InferenceTiming {
  /** Milliseconds of the most recent single-image classification. */
  lastMs: number;
  /** Median over the recent classifications (the first, warm-up call excluded when there are others). */
  medianMs: number;
  /** How many classifications the median covers. */
  count: number;
}

/** Formats milliseconds with a precision that suits the size ("0.42 ms", "3.1 ms", "120 ms"). */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/** What the bar shows about one model. */
export interface ModelOption {
  name: string;
  /** The segment's label after the name, e.g. "99.44%". */
  badge?: string;
  /** One plain sentence. */
  description: string;
  disabled?: boolean;
}

/** Props of {@link ModelBar}. */
export interface ModelBarProps {
  models: readonly ModelOption[];
  model: string;
  onModel: (name: string) => void;
  /** The model actually loaded (undefined while loading). */
  activeModel: string | undefined;
  /** Its layers, one line, shown on demand. */
  layers: string | undefined;
  backends: readonly { name: string; description: string }[];
  backend: string;
  onBackend: (name: string) => void;
  /** The backend tfjs actually runs on (it falls back when one is unavailable); undefined while starting. */
  activeBackend: string | undefined;
  timing: InferenceTiming | undefined;
  error?: string;
}

/**
 * Which model reads the drawing and where it runs: two segmented controls, one plain sentence each, the layers
 * and the measured time per image for those who want them.
 */
export function ModelBar(props: ModelBarProps) {
  const { models, model, activeModel, backend, activeBackend, timing } = props;
  const chosen = models.find((m) => m.name === model);
  const chosenBackend = props.backends.find((b) => b.name === backend);
  return (
    <div className="model-bar">
      <Segmented
        legend="Model"
        testId="model-picker"
        value={model}
        onChange={props.onModel}
        options={models.map((m) => ({
          value: m.name,
          disabled: m.disabled,
          label: (
            <>
              {m.name}
              {m.badge && <small className="badge"> {m.badge}</small>}
            </>
          ),
        }))}
      >
        <p className="choice-note">
          {chosen?.description}{' '}
          <span className="status" aria-live="polite">
            <span className="visually-hidden">Loaded: </span>
            <span data-testid="active-model" className="visually-hidden">
              {activeModel ?? 'loading…'}
            </span>
            {activeModel === undefined && <span className="muted">Loading…</span>}
          </span>
        </p>
        {props.layers && (
          <details className="layers">
            <summary>Layers</summary>
            <code data-testid="layers">{props.layers}</code>
          </details>
        )}
      </Segmented>
      <Segmented
        legend="Runs on"
        testId="backend-picker"
        value={backend}
        onChange={props.onBackend}
        options={props.backends.map((b) => ({ value: b.name, label: b.name }))}
      >
        <p className="choice-note">
          {chosenBackend?.description}{' '}
          <span className="status">
            {activeBackend === undefined ? (
              <span className="muted">Starting…</span>
            ) : (
              <>
                <span className="visually-hidden">Active: </span>
                <strong
                  data-testid="active-backend"
                  className={activeBackend === backend ? 'visually-hidden' : ''}
                >
                  {activeBackend}
                </strong>
                {activeBackend !== backend && (
                  <span className="warning"> is running: {backend} is not available in this browser.</span>
                )}
                {timing && (
                  <>
                    {' '}
                    <span
                      data-testid="inference-time"
                      data-count={timing.count}
                      title={`median of the last ${timing.count}; last ${formatMs(timing.lastMs)}`}
                    >
                      {formatMs(timing.medianMs)}
                    </span>{' '}
                    per drawing
                  </>
                )}
              </>
            )}
          </span>
        </p>
      </Segmented>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}
