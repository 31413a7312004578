// Honest answers: say "4 or 9?" instead of announcing one digit when the model is not sure.
import { MnistModelError } from '../errors.js';

/** When a prediction counts as confident, and when as unreadable. */
export interface VerdictThresholds {
  /** The top probability must be at least this. */
  minConfidence: number;
  /** The top probability must exceed the runner-up's by at least this. */
  minMargin: number;
  /**
   * Below this top probability no digit stands out (a flat or near-flat output): the answer is "can't read this"
   * rather than two digits. Default {@link MIN_READABLE}.
   */
  minReadable?: number;
}

/**
 * The top probability under which an output counts as flat: 2.5 times chance among ten digits. Measured on MNIST's
 * 10,000 test digits: no answer of the shipped `mlp` or `cnn` is that flat, and the two of `simple` are both wrong;
 * a small digit drawn in a corner gave `simple` ten bars of about 10%.
 */
export const MIN_READABLE = 0.25;

/**
 * The default thresholds, chosen by measurement (`pnpm --filter @mnist/models bench:drawn`, bench/drawn/NOTES.md):
 * on the first half of the drawn-digit benchmark, the pair that lets the shipped cnn call the most answers
 * confident with at most 1% of those wrong. On the other half the cnn is then confident on 96% of drawn digits
 * (0.96% of those wrong) and flags 60% of its mistakes, the true digit being one of the two offered 95% of the time.
 */
export const DEFAULT_VERDICT_THRESHOLDS: Readonly<VerdictThresholds> = Object.freeze({
  minConfidence: 0.85,
  minMargin: 0.8,
  minReadable: MIN_READABLE,
});

/** A confident answer: one digit. */
export interface ConfidentVerdict {
  kind: 'confident';
  /** The digit. */
  label: number;
  /** Its probability. */
  confidence: number;
}

/** An uncertain answer: the two most probable digits. */
export interface UncertainVerdict {
  kind: 'uncertain';
  /** The most probable digit. */
  label: number;
  /** The runner-up. */
  alternative: number;
  /** Probability of `label`. */
  confidence: number;
  /** Probability of `label` minus that of `alternative`. */
  margin: number;
  /**
   * `unreadable` when no digit stands out (the top probability is under `minReadable`: say "can't read this", not
   * the two digits), `low-confidence` when it is under `minConfidence`, else `close-call`.
   */
  reason: 'unreadable' | 'low-confidence' | 'close-call';
}

/** What to tell the user about one prediction. */
export type Verdict = ConfidentVerdict | UncertainVerdict;

/**
 * Turns one image's class probabilities into a verdict: confident when the top probability reaches
 * `minConfidence` and leads the runner-up by `minMargin`, otherwise uncertain between the top two. Ties go to the
 * lower digit, as arg-max does.
 */
export function verdictFor(
  probabilities: ArrayLike<number>,
  thresholds: Readonly<VerdictThresholds> = DEFAULT_VERDICT_THRESHOLDS,
): Verdict {
  if (probabilities.length < 2) {
    throw new MnistModelError(
      'BAD_INPUT',
      `verdictFor needs at least two class probabilities, got ${probabilities.length}.`,
    );
  }
  let best = -1;
  let second = -1;
  for (let c = 0; c < probabilities.length; c++) {
    const p = probabilities[c] as number;
    if (Number.isNaN(p))
      throw new MnistModelError('BAD_INPUT', `verdictFor: probability of class ${c} is NaN.`);
    if (best < 0 || p > (probabilities[best] as number)) {
      second = best;
      best = c;
    } else if (second < 0 || p > (probabilities[second] as number)) {
      second = c;
    }
  }
  const confidence = probabilities[best] as number;
  const margin = confidence - (probabilities[second] as number);
  if (confidence >= thresholds.minConfidence && margin >= thresholds.minMargin) {
    return { kind: 'confident', label: best, confidence };
  }
  return {
    kind: 'uncertain',
    label: best,
    alternative: second,
    confidence,
    margin,
    reason:
      confidence < (thresholds.minReadable ?? MIN_READABLE)
        ? 'unreadable'
        : confidence < thresholds.minConfidence
          ? 'low-confidence'
          : 'close-call',
  };
}

/** The verdict in a few characters: `7`, `4 or 9?` (most probable first), or `?` when no digit stands out. */
export function describeVerdict(verdict: Verdict): string {
  if (verdict.kind === 'confident') return `${verdict.label}`;
  return verdict.reason === 'unreadable' ? '?' : `${verdict.label} or ${verdict.alternative}?`;
}
