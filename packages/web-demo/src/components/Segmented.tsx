import { type ReactNode, useId } from 'react';

/** One option of a {@link Segmented} control. */
export interface SegmentOption<T extends string> {
  value: T;
  /** The visible label; its text starts with the value, so "cnn" is found by its name. */
  label: ReactNode;
  disabled?: boolean;
}

/** Props of {@link Segmented}. */
export interface SegmentedProps<T extends string> {
  legend: string;
  options: readonly SegmentOption<T>[];
  value: T;
  onChange: (value: T) => void;
  disabled?: boolean;
  testId?: string;
  /** Shown under the buttons: what the chosen option is, in one sentence. */
  children?: ReactNode;
}

/**
 * A segmented control: native radio buttons (arrow keys, screen readers and forms work as usual) drawn as one row
 * of buttons, each at least 44 px high for touch.
 */
export function Segmented<T extends string>({
  legend,
  options,
  value,
  onChange,
  disabled,
  testId,
  children,
}: SegmentedProps<T>) {
  const name = useId();
  return (
    <fieldset className="segmented" disabled={disabled} data-testid={testId}>
      <legend>{legend}</legend>
      <div className="segments">
        {options.map((o) => (
          <label key={o.value} className={`segment${o.value === value ? ' selected' : ''}`}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={o.value === value}
              disabled={o.disabled}
              onChange={() => onChange(o.value)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {children}
    </fieldset>
  );
}
