import { useId } from 'react';

/** Inference time statistics for the active backend and model. */
export interface InferenceTiming {
  /** Milliseconds of the most recent single-image classification. */
  lastMs: number;
  /** Median over the recent classifications (the first, warm-up call excluded when there are others). */
  medianMs: number;
  /** How many classifications the median covers. */
  count: number;
}

/** Props of {@link BackendPicker}. */
export interface BackendPickerProps {
  backends: readonly string[];
  /** The backend the visitor asked for. */
  value: string;
  /** The backend tfjs actually runs on (it falls back when one is unavailable); undefined while starting. */
  active: string | undefined;
  timing: InferenceTiming | undefined;
  onChange: (name: string) => void;
  disabled?: boolean;
}

/** Formats milliseconds with a precision that suits the size ("0.42 ms", "3.1 ms", "120 ms"). */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

const BACKEND_NOTES: Record<string, string> = {
  webgl: 'GPU through WebGL',
  wasm: 'WebAssembly with SIMD',
  cpu: 'plain JavaScript',
};

/** A radio group of tfjs backends, with the active one and the measured inference time. */
export function BackendPicker({ backends, value, active, timing, onChange, disabled }: BackendPickerProps) {
  const name = useId();
  return (
    <fieldset className="picker" disabled={disabled} data-testid="backend-picker">
      <legend>Backend</legend>
      {backends.map((b) => (
        <label key={b} className="choice">
          <input type="radio" name={name} value={b} checked={b === value} onChange={() => onChange(b)} />
          <span className="choice-name">{b}</span>
          <span className="choice-detail">{BACKEND_NOTES[b] ?? ''}</span>
        </label>
      ))}
      <p className="backend-status">
        Active: <strong data-testid="active-backend">{active ?? 'starting…'}</strong>
        {active && active !== value && <span className="warning"> ({value} is not available here)</span>}
        {timing && (
          <>
            {' · '}
            <span data-testid="inference-time" title={`last ${formatMs(timing.lastMs)}`}>
              {formatMs(timing.medianMs)}
            </span>{' '}
            per image (median of {timing.count})
          </>
        )}
      </p>
    </fieldset>
  );
}
