/**
 * The events a run emits. One stream feeds every output: the Ink dashboard (through a pure reducer),
 * the plain line printer, and `--json` (each event is one JSON line, exactly these shapes).
 */

/** Where the data came from, as @mnist/data reports it. */
export interface SourceInfo {
  /** dir, env, cache, package, system, download or url. */
  readonly kind: string;
  readonly location: string;
}

/** The first event: what is about to run, on which data and backend. */
export interface StartEvent {
  readonly type: 'start';
  readonly command: 'train' | 'evaluate';
  readonly version: string;
  /** ISO 8601 time the run started. */
  readonly time: string;
  readonly dataset: string;
  readonly classNames: readonly string[];
  readonly source: SourceInfo;
  /** Images used for training (after --limit) and for testing (after --test-limit / --limit). */
  readonly trainCount: number;
  readonly testCount: number;
  readonly backend: { readonly name: string; readonly reason: string };
  readonly models: readonly string[];
  readonly seed: number | undefined;
  /** Indices of the training images shown as samples. */
  readonly sampleIndices: readonly number[];
}

/** A model is about to train (or, for `evaluate`, was loaded). */
export interface ModelEvent {
  readonly type: 'model';
  readonly model: string;
  /** One line describing the layers, e.g. "Dense(10, sigmoid)". */
  readonly summary: string;
  readonly parameters: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly trainCount: number;
}

/** Progress within an epoch, emitted at a bounded rate (at most a few per second) and at each epoch's end. */
export interface BatchEvent {
  readonly type: 'batch';
  readonly model: string;
  /** 1-based. */
  readonly epoch: number;
  readonly epochs: number;
  /** Batches finished in this epoch. */
  readonly batch: number;
  readonly batches: number;
  /** Samples finished in this epoch, out of `samplesTotal`. */
  readonly samples: number;
  readonly samplesTotal: number;
  /** Running mean loss and accuracy over this epoch so far. */
  readonly loss: number;
  readonly accuracy: number;
  readonly samplesPerSecond: number;
  /** Estimated seconds left in this epoch. */
  readonly etaSeconds: number;
}

/** An epoch finished. */
export interface EpochEvent {
  readonly type: 'epoch';
  readonly model: string;
  readonly epoch: number;
  readonly epochs: number;
  /** Mean training loss and accuracy over the epoch. */
  readonly loss: number;
  readonly accuracy: number;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

/** Per-class figures in an evaluation. */
export interface ClassFigures {
  readonly label: number;
  readonly name: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** A confused pair: `count` images of class `actual` were predicted as `predicted`. */
export interface ConfusedPair {
  readonly actual: number;
  readonly predicted: number;
  readonly count: number;
  /** Index in the test split of one such image. */
  readonly example: number;
}

/** A model was evaluated on the test images. */
export interface EvaluationEvent {
  readonly type: 'evaluation';
  readonly model: string;
  readonly count: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly seconds: number;
  /** confusion[actual][predicted] = count. */
  readonly confusion: readonly (readonly number[])[];
  readonly classes: readonly ClassFigures[];
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  readonly weighted: { readonly precision: number; readonly recall: number; readonly f1: number };
  /** The most frequent mistakes, most frequent first. */
  readonly mostConfused: readonly ConfusedPair[];
  /** Test indices of (up to 100) misclassified images, for reports. */
  readonly misclassified: readonly {
    readonly index: number;
    readonly actual: number;
    readonly predicted: number;
    readonly confidence: number;
  }[];
  /** The scikit-learn style classification report. */
  readonly reportText: string;
}

/** A trained model was written to disk (complete: written to a temporary directory, then renamed). */
export interface SavedEvent {
  readonly type: 'saved';
  readonly model: string;
  readonly dir: string;
}

/** The HTML report was written. */
export interface ReportEvent {
  readonly type: 'report';
  readonly file: string;
}

/** Per-model result in the `done` event. */
export interface ModelResult {
  readonly model: string;
  readonly epochsCompleted: number;
  readonly trainSeconds: number;
  /** null when the model did not finish training. */
  readonly testAccuracy: number | null;
  /** The model directory, null when not saved. */
  readonly saved: string | null;
}

/** The last event of a run that ended normally or was stopped by the user. */
export interface DoneEvent {
  readonly type: 'done';
  /** True when the user stopped the run (q, Ctrl-C, SIGINT/SIGTERM). */
  readonly aborted: boolean;
  readonly seconds: number;
  readonly results: readonly ModelResult[];
  /** What happened, including what was and was not saved. */
  readonly message: string;
}

/** The last event of a run that failed. */
export interface ErrorEvent {
  readonly type: 'error';
  readonly message: string;
  /** A machine-readable code when the library gave one (e.g. CHECKSUM_MISMATCH, NOT_FOUND). */
  readonly code: string | undefined;
  readonly exitCode: 1 | 2;
}

/** Every event of a run. */
export type RunEvent =
  | StartEvent
  | ModelEvent
  | BatchEvent
  | EpochEvent
  | EvaluationEvent
  | SavedEvent
  | ReportEvent
  | DoneEvent
  | ErrorEvent;

/** Receives events as they happen. */
export type EventSink = (event: RunEvent) => void;

/**
 * Lets batch events through at most once per `intervalMs` (per model and epoch, the last batch of an
 * epoch always passes), so that `--json` and the dashboard see a bounded rate whatever the batch size.
 */
export function throttleBatches(
  sink: EventSink,
  intervalMs: number,
  now: () => number = performance.now.bind(performance),
): EventSink {
  let last = Number.NEGATIVE_INFINITY;
  return (event) => {
    if (event.type === 'batch') {
      const t = now();
      if (event.batch !== event.batches && t - last < intervalMs) return;
      last = t;
    }
    sink(event);
  };
}
