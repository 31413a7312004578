import { formatPercent } from '../format';

/** Props of {@link ProbabilityBars}. */
export interface ProbabilityBarsProps {
  /** One probability per class, or null when there is nothing to classify. */
  probabilities: ArrayLike<number> | null;
  /** Class names, indexed by label. */
  classNames: readonly string[];
}

/** Index of the largest value (the first one on ties), or -1 for an empty list. */
export function argMax(values: ArrayLike<number>): number {
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v > bestValue) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}

/**
 * A labelled bar per class; the most probable one is highlighted. Before anything is drawn the bars are a quiet
 * outline (no tinted tracks that could read as filled bars, no numbers).
 */
export function ProbabilityBars({ probabilities, classNames }: ProbabilityBarsProps) {
  const top = probabilities ? argMax(probabilities) : -1;
  return (
    <ol className={`bars${probabilities ? '' : ' empty'}`} aria-label="Probability of each digit">
      {classNames.map((name, i) => {
        const p = probabilities ? (probabilities[i] ?? 0) : 0;
        const text = probabilities ? formatPercent(p) : '';
        return (
          <li
            key={name}
            className={i === top ? 'bar top' : 'bar'}
            data-class={i}
            aria-label={`${name}: ${text || 'nothing drawn'}`}
          >
            <span className="bar-name" aria-hidden="true">
              {name}
            </span>
            <span className="bar-track" aria-hidden="true">
              <span className="bar-fill" style={{ width: `${p * 100}%` }} />
            </span>
            <span className="bar-value" aria-hidden="true">
              {text}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
