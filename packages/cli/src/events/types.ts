/**
 * The events a run emits. Commands send them to one store per run (the dashboard's pure reducer); every
 * output listens to that store: the Ink dashboard, the plain line printer, `--json` (each event is one JSON
 * line, exactly these shapes) and the HTML report.
 */

import type { CrossEntropyForm } from '@mnist/models';
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
  /** With `train --init`: the model reference its starting weights came from. */
  readonly from?: string;
  /** The form of the cross-entropy its loss figures use (`logits`: Keras on TensorFlow's). */
  readonly crossEntropy: CrossEntropyForm;
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
  /** How well the model's confidence matches its accuracy on this set (absent when not measured). */
  readonly calibration?: CalibrationFigures;
}

/**
 * A reliability diagram of the evaluation (@mnist/metrics' `reliabilityDiagram`): the images binned by their top
 * probability, each bin's mean confidence against its accuracy, and the expected calibration error.
 */
export interface CalibrationFigures {
  /** Expected calibration error: the share-weighted mean gap between confidence and accuracy over the bins. */
  readonly ece: number;
  /** Maximum calibration error: the largest gap of a non-empty bin. */
  readonly mce: number;
  /** Mean top probability over all images (above the accuracy: over-confident). */
  readonly confidence: number;
  /** Share of images whose top class is the true one. */
  readonly accuracy: number;
  /** The temperature the probabilities were taken at (1: the network's own). */
  readonly temperature: number;
  /** Equal-width bins over the top probability, lowest first; confidence and accuracy are null when empty. */
  readonly bins: readonly {
    readonly lower: number;
    readonly upper: number;
    readonly count: number;
    readonly confidence: number | null;
    readonly accuracy: number | null;
  }[];
}

/** A trained model was written to disk (complete: written to a temporary directory, then renamed). */
export interface SavedEvent {
  readonly type: 'saved';
  readonly model: string;
  /** The complete model directory. */
  readonly dir: string;
  /**
   * Set only when saving to the `--save` destination failed at the end of training: the directory asked
   * for. The model was then saved to `dir`, a new temporary directory, instead.
   */
  readonly requestedDir?: string;
  /** Why saving to `requestedDir` failed (with `requestedDir` only). */
  readonly error?: string;
}

/** The HTML report was written (after `done`: the report output writes it when the run is over). */
export interface ReportEvent {
  readonly type: 'report';
  /** The complete report file. */
  readonly file: string;
  /** Set only when writing to the `--report` destination failed: the file asked for (see {@link SavedEvent}). */
  readonly requestedFile?: string;
  /** Why writing to `requestedFile` failed (with `requestedFile` only). */
  readonly error?: string;
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

/**
 * The end of a run that finished or was stopped by the user (q, Ctrl-C, a signal). With `--report`, one
 * `report` event follows once the report output has written the file.
 */
export interface DoneEvent {
  readonly type: 'done';
  /** True when the user stopped the run (q, Ctrl-C, SIGINT/SIGTERM). */
  readonly aborted: boolean;
  readonly seconds: number;
  readonly results: readonly ModelResult[];
  /** What happened, including what was and was not saved. */
  readonly message: string;
}

/** The end of a run that failed. */
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
