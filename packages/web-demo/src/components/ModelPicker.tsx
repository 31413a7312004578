import { useId } from 'react';

/** What the picker shows about one model. */
export interface ModelChoice {
  name: string;
  /** One line on the architecture, e.g. "Dense(10, sigmoid)". */
  description: string;
  /** Test accuracy from the pretrained manifest (0..1), when known. */
  accuracy?: number;
}

/** Props of {@link ModelPicker}. */
export interface ModelPickerProps {
  models: readonly ModelChoice[];
  value: string;
  onChange: (name: string) => void;
  disabled?: boolean;
}

/** A radio group of the pretrained models: native radios, so arrow keys and screen readers work as usual. */
export function ModelPicker({ models, value, onChange, disabled }: ModelPickerProps) {
  const name = useId();
  return (
    <fieldset className="picker" disabled={disabled} data-testid="model-picker">
      <legend>Model</legend>
      {models.map((m) => (
        <label key={m.name} className="choice">
          <input
            type="radio"
            name={name}
            value={m.name}
            checked={m.name === value}
            onChange={() => onChange(m.name)}
          />
          <span className="choice-name">{m.name}</span>
          <span className="choice-detail">
            {m.description}
            {m.accuracy !== undefined && ` · ${(m.accuracy * 100).toFixed(2)}% on the test set`}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
