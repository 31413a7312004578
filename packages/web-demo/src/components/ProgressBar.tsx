/** Props of {@link ProgressBar}. */
export interface ProgressBarProps {
  value: number;
  /** Total; undefined shows an indeterminate bar (e.g. a download of unknown size). */
  max: number | undefined;
  /** What is progressing, for screen readers and the text beside the bar. */
  label: string;
  /** Text after the label, e.g. "2,000 / 10,000 images". */
  detail?: string;
}

/** A native `<progress>` with a visible label (native, so assistive technology announces it without ARIA work). */
export function ProgressBar({ value, max, label, detail }: ProgressBarProps) {
  return (
    <div className="progress" data-testid="progress">
      <span className="progress-label">
        {label}
        {detail ? `: ${detail}` : ''}
      </span>
      {max === undefined ? (
        <progress aria-label={label} />
      ) : (
        <progress aria-label={label} value={Math.min(value, max)} max={max} />
      )}
    </div>
  );
}
