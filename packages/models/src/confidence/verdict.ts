// Honest answers: say "4 or 9?" instead of announcing one digit when the model is not sure.
import { MnistModelError } from '../errors.js';

/** When a prediction counts as confident. */
export interface VerdictThresholds {
  /** The top probability must be at least this. */
  minConfidence: number;
  /** The top probability must exceed the runner-up's by at least this. */
  minMargin: number;
}

/**
 * The default thresholds, chosen by measurement (`pnpm --filter @mnist/models bench:drawn`, bench/drawn/NOTES.md):
 * on the first half of the drawn-digit benchmark, the pair that lets the shipped cnn call the most answers
 * confident with at most 1% of those wrong. On the other half the cnn is then confident on 96% of drawn digits
 * (0.96% of those wrong) and flags 60% of its mistakes, the true digit being one of the two offered 95% of the time.
 */
export const DEFAULT_VERDICT_THRESHOLDS: Readonly<VerdictThresholds> = Object.freeze({
  minConfidence: 0.85,
  minMargin: 0.8,
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
  /** `low-confidence` when the top probability is under the threshold, else `close-call`. */
  reason: 'low-confidence' | 'close-call';
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
    reason: confidence < thresholds.minConfidence ? 'low-confidence' : 'close-call',
  };
}

/** The verdict in a few characters: `7`, or `4 or 9?` (most probable first). */
export function describeVerdict(verdict: Verdict): string {
  return verdict.kind === 'confident' ? `${verdict.label}` : `${verdict.label} or ${verdict.alternative}?`;
}
