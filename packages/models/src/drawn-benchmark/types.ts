import type { VerdictThresholds } from '../confidence/verdict.js';
import type { PretrainedName } from '../pretrained/types.js';

/** One part of the drawn-digit benchmark: the same MNIST test digits, redrawn in one way people draw. */
export interface DrawnPartInfo {
  /** The part's name in the benchmark (`strokes`, `pen-thin`, …, `jitter`). */
  name: string;
  /** How it is drawn, in the benchmark's own terms (its committed manifest). */
  description: string;
  /** The same for anyone, in a few plain words ("drawn with a thin pen", "drawn on an 8×8 grid"). */
  plain: string;
}

/** How one model does on one set of images. */
export interface DrawnSetFigures {
  /** Fraction of the images whose most probable digit is the right one, 0..1 (temperature-independent). */
  accuracy: number;
  /** How many images were measured. */
  images: number;
  /**
   * Expected calibration error (15 equal-width bins) of the network's own probabilities (`before`, T = 1) and at
   * the model's temperature (`after`: see {@link DrawnModelFigures.temperature}).
   */
  ece: { before: number; after: number };
}

/** How the verdicts (`verdictFor`: a digit, or "a or b?") turn out on a set, at the chosen thresholds. */
export interface DrawnVerdictFigures {
  /** Fraction of the answers called confident (one digit). */
  coverage: number;
  /** Fraction of the confident answers that are wrong. */
  confidentError: number;
  /** Fraction of all wrong answers that were flagged uncertain ("a or b?"). */
  errorsFlagged: number;
  /** Among the uncertain answers, how often the true digit is one of the two offered. */
  uncertainTopTwo: number;
}

/** One shipped model on MNIST test and on every part of the drawn-digit benchmark. */
export interface DrawnModelFigures {
  /** `simple`, `mlp` or `cnn`. */
  name: PretrainedName;
  /** `date` of the model's entry in `pretrainedManifest` when it was measured: which weights these figures are of. */
  trainedAt: string;
  /**
   * The temperature of the `after` calibration figures: the model's shipped one (fitted by the training script on
   * training images it never saw), or, for a model shipping none, one fitted on the last 5,000 training images,
   * which it trained on (biased; reported as such).
   */
  temperature: { value: number; source: 'shipped' | 'fitted-on-seen-digits' };
  /** The 10,000 MNIST test images. */
  mnistTest: DrawnSetFigures;
  /** Each part of the benchmark, by part name, in {@link DrawnBenchmarkFigures.parts} order. */
  drawn: Readonly<Record<string, DrawnSetFigures>>;
  /** Verdicts at the thresholds in use (`verdictsInUse`), as the model ships: on every drawn digit of every part, and on MNIST test. */
  verdicts: { drawn: DrawnVerdictFigures; mnistTest: DrawnVerdictFigures };
}

/**
 * Every shipped model's accuracy and calibration on MNIST test and on each part of the drawn-digit benchmark (MNIST
 * test digits traced into pen strokes and redrawn through the web demo's own renderer and preprocessing), with the
 * verdict thresholds chosen by measurement: what `pnpm --filter @mnist/models bench:drawn` measured last.
 */
export interface DrawnBenchmarkFigures {
  /** The command that measured these figures and wrote this module, run from the repository root. */
  command: string;
  /** When it finished, ISO 8601. */
  date: string;
  /** What ran it: tfjs backend and version, Node version, one-minute load average at start and end. */
  measuredWith: { backend: string; tfjs: string; node: string; loadAverage: [start: number, end: number] };
  /** The benchmark: how many MNIST test digits every part redraws (the first `digits` of the test set). */
  digits: number;
  /** The parts, in report order. */
  parts: readonly DrawnPartInfo[];
  /**
   * The thresholds `verdictFor` should use, chosen on the cnn's held-out drawings (training digits it never saw,
   * drawn in every part's way): the pair calling the most answers confident with at most `maxConfidentError` of
   * them wrong, and how that pair did there.
   */
  verdictThresholds: DrawnVerdictFigures & {
    thresholds: VerdictThresholds;
    maxConfidentError: number;
    chosenOn: string;
    /** How that pair does for the cnn on the benchmark's drawings (test digits: other writers than training's). */
    onTestDrawings: DrawnVerdictFigures;
  };
  /** The thresholds `verdictFor` uses (`DEFAULT_VERDICT_THRESHOLDS`), at which every model's `verdicts` are measured. */
  verdictsInUse: { thresholds: VerdictThresholds };
  /** Each shipped model, by name (`simple`, `mlp`, `cnn` order). */
  models: Readonly<Partial<Record<PretrainedName, Readonly<DrawnModelFigures>>>>;
}
