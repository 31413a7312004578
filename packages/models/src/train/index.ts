import { seededPermutation as permutation, yieldToEventLoop } from '@mnist/data';
import { checkAugmentParams } from '../augment/params.js';
import { type EngineChoice, MAX_THREADS } from '../engine/index.js';
import { MnistModelError } from '../errors.js';
import { DEFAULT_CROSS_ENTROPY } from '../loss.js';
import { evaluate } from '../evaluate.js';
import { type LabelledImages, PIXELS, snapshotLabelledImages } from '../input.js';
import type { MnistModel, TrainingRecipe } from '../model.js';
import { deriveSeed } from '../random.js';
import { trainingStepFor } from './choose-step.js';
import type { EngineReport } from '../step.js';
import { type RecipeOverrides, resolveRecipe } from './recipe.js';
import { checkNotDisposed } from '../disposed.js';

export type { EngineChoice } from '../engine/index.js';
export type { EngineReport } from '../step.js';

/** Reported after every epoch. */
export interface EpochLog {
  /** 1-based epoch number. */
  epoch: number;
  /** Total epochs planned. */
  epochs: number;
  /** Mean training loss over the epoch (running mean over its batches, as Keras reports it). */
  loss: number;
  /** Training accuracy over the epoch, 0..1. */
  accuracy: number;
  /** Validation loss after the epoch, when validation was asked for. */
  valLoss?: number;
  /** Validation accuracy after the epoch, 0..1, when validation was asked for. */
  valAccuracy?: number;
  /** Seconds spent training this epoch (validation excluded). */
  seconds: number;
  /** Training samples per second this epoch. */
  samplesPerSecond: number;
  /** The learning rate this epoch used. */
  learningRate: number;
}

/** Reported during an epoch, at most every `batchLogIntervalMs` and after its last batch. */
export interface BatchLog {
  /** 1-based epoch number. */
  epoch: number;
  /** 1-based number of the batch just finished. */
  batch: number;
  /** Batches in this epoch. */
  batches: number;
  /** Samples trained on so far this epoch. */
  samplesSeen: number;
  /** Running mean training loss of this epoch so far. */
  loss: number;
  /** Running training accuracy of this epoch so far, 0..1. */
  accuracy: number;
  /** Training samples per second so far this epoch. */
  samplesPerSecond: number;
}

/** Options for {@link train}. Anything left out comes from the model's recipe (the tutorial's for `simple`/`mlp`). */
export interface TrainOptions extends RecipeOverrides {
  /** Seed for the per-epoch shuffles and any augmentation (default: the model's seed, else 0). */
  seed?: number;
  /**
   * Reshuffle the training set before every epoch, as Keras does (default true). `false` is Keras's
   * `shuffle=False`: every epoch takes the samples in order, so the same initial weights (a model loaded with
   * `loadModel`, e.g. from a `.keras` file) and the same data give Keras's batches exactly.
   */
  shuffle?: boolean;
  /**
   * Hold out this fraction (0 < f < 1) of the training set for validation, taken from its end before any
   * shuffling, as Keras's `validation_split` does. Ignored when `validationData` is given.
   */
  validationSplit?: number;
  /** A separate labelled set to validate on after every epoch. */
  validationData?: LabelledImages;
  /** Stops training between two batches; {@link train} then resolves with `aborted: true`. */
  signal?: AbortSignal;
  /** Called after every completed epoch (awaited when it returns a promise). */
  onEpochEnd?: (log: EpochLog) => void | Promise<void>;
  /** Called during epochs at a bounded rate (awaited when it returns a promise). */
  onBatchEnd?: (log: BatchLog) => void | Promise<void>;
  /**
   * Minimum milliseconds between two `onBatchEnd` calls (default 100). Each call reads the running loss from
   * the backend and lets the event loop run once, so a UI stays live and `signal` is noticed.
   */
  batchLogIntervalMs?: number;
  /**
   * What runs the training steps. `auto` (default): the fused WebAssembly engine for the architectures it trains
   * exactly (dense and conv stacks such as `simple`, `mlp` and `cnn`) where WebAssembly SIMD exists, else tfjs
   * autodiff on the active backend. `wasm`: the engine or an `UNSUPPORTED` error. `tfjs`: always tfjs autodiff.
   * {@link TrainResult.engine} says what ran.
   */
  engine?: EngineChoice;
  /**
   * Threads for the wasm engine (the calling thread plus workers), 1 to `MAX_THREADS` (16). Default: the available
   * cores (at most 4) for every model of the zoo, and 1 wherever shared memory is unavailable (a browser page that
   * is not cross-origin isolated). 1 to 4 threads train bit-identical weights (every batch is cut into the same 4
   * slices); pass 1 on a machine whose other cores are busy.
   */
  threads?: number;
}

/** What {@link train} resolves with. */
export interface TrainResult {
  /** One entry per completed epoch. */
  history: EpochLog[];
  /** True when `signal` stopped training early; `history` then holds the epochs completed before. */
  aborted: boolean;
  /** Total wall-clock seconds, validation included. */
  seconds: number;
  /** Samples trained on, over all epochs (partial epoch included when aborted). */
  samplesTrained: number;
  /** The recipe that was used, after applying the options. */
  recipe: TrainingRecipe;
  /** What ran the steps: the wasm engine (threads, SIMD) or tfjs autodiff (on which backend). */
  engine: EngineReport;
}

/** Models being trained right now: a second concurrent train() on one of them is refused. */
const training = new WeakSet<object>();

/**
 * Trains a model in place on a labelled set with a lean custom loop (not `model.fit`): one tidy gradient step
 * per batch with Adam, the running loss and accuracy kept on the backend and read only at the log rate, the
 * training set reshuffled (seeded) every epoch. The defaults are the model's recipe, for `simple` and `mlp`
 * the Keras tutorial's: Adam 0.001, sparse categorical cross-entropy, batch 32, 5 epochs, pixels ÷255.
 *
 * The Adam state lives only for the call: a second `train` starts with fresh moments. No tensors are left
 * behind, even when aborted or when a callback throws. Steps run in the wasm engine where it applies (see
 * `engine`); it writes the weights back into the model at every epoch end (before validation and
 * `onEpochEnd`), on abort and at the end. A second `train` of the same model while one runs is refused.
 *
 * @param model - the model to train (its weights change)
 * @param set - the training set, e.g. `data.train` from `@mnist/data`
 * @param options - overrides, validation, callbacks, abort signal
 */
export async function train(
  model: MnistModel,
  set: LabelledImages,
  options: TrainOptions = {},
): Promise<TrainResult> {
  checkNotDisposed(model, 'train');
  if (training.has(model)) {
    throw new MnistModelError(
      'BAD_INPUT',
      `train: ${model.name} is already being trained by another train() call; wait for it to finish (or abort ` +
        'it) before training the same model again.',
    );
  }
  // Trained on what was checked: each of count, images and labels read once and copied.
  const checked = snapshotLabelledImages(set, 'train');
  const recipe = resolveRecipe(model.recipe, options);
  const { trainSet, validationSet } = splitValidation(checked, options);
  if (trainSet.count === 0) throw new MnistModelError('BAD_INPUT', 'train: the training set is empty.');
  const seed = options.seed ?? model.seed ?? 0;
  const shuffle = options.shuffle ?? true;
  const logInterval = options.batchLogIntervalMs ?? 100;
  const maxShift = model.inputKind === 'image' ? (recipe.maxShift ?? 0) : 0;
  const signal = options.signal;
  const engine = options.engine ?? 'auto';
  if (!['auto', 'wasm', 'tfjs'].includes(engine)) {
    throw new MnistModelError(
      'BAD_INPUT',
      `train: engine must be 'auto', 'wasm' or 'tfjs'; got '${engine}'.`,
    );
  }
  if (
    options.threads !== undefined &&
    !(Number.isInteger(options.threads) && options.threads >= 1 && options.threads <= MAX_THREADS)
  ) {
    throw new MnistModelError(
      'BAD_INPUT',
      `train: threads must be a whole number from 1 to ${MAX_THREADS} (more threads than cores only wait for each other); got ${options.threads}.`,
    );
  }
  // Checked now rather than when the first epoch starts, after the engine and its workers were built.
  if (recipe.augmentation !== undefined) checkAugmentParams(recipe.augmentation);

  training.add(model);
  try {
    return await trainLoop(model, trainSet, validationSet, recipe, {
      seed,
      shuffle,
      logInterval,
      maxShift,
      signal,
      engine,
      options,
    });
  } finally {
    training.delete(model);
  }
}

async function trainLoop(
  model: MnistModel,
  trainSet: LabelledImages,
  validationSet: LabelledImages | undefined,
  recipe: TrainingRecipe,
  settings: {
    seed: number;
    shuffle: boolean;
    logInterval: number;
    maxShift: number;
    signal: AbortSignal | undefined;
    engine: EngineChoice;
    options: TrainOptions;
  },
): Promise<TrainResult> {
  const { seed, shuffle, logInterval, maxShift, signal, options } = settings;
  // The recipe's drawing augmentation (per sample, seeded from the training seed and the sample's index).
  const augmentation = model.inputKind === 'image' ? recipe.augmentation : undefined;
  const started = performance.now();
  const step = await trainingStepFor(model, trainSet, {
    batchSize: recipe.batchSize,
    maxShift,
    crossEntropy: recipe.crossEntropy ?? DEFAULT_CROSS_ENTROPY,
    engine: settings.engine,
    ...(options.threads !== undefined && { threads: options.threads }),
  });
  const history: EpochLog[] = [];
  let samplesTrained = 0;
  let aborted = signal?.aborted ?? false;
  let lastYield = performance.now();
  let completed = false;

  try {
    for (let epochIndex = 0; epochIndex < recipe.epochs && !aborted; epochIndex++) {
      const learningRate = recipe.learningRate * (recipe.learningRateDecay ?? 1) ** epochIndex;
      const order = shuffle
        ? permutation(trainSet.count, deriveSeed(seed, epochIndex))
        : Uint32Array.from({ length: trainSet.count }, (_, i) => i);
      step.beginEpoch({
        order,
        learningRate,
        augmentSeed: deriveSeed(seed ^ 0x5bd1e995, epochIndex),
        ...(augmentation !== undefined && {
          augmentation: { params: augmentation, epochSeed: deriveSeed(seed ^ 0x2545f491, epochIndex) },
        }),
      });
      const batches = Math.ceil(trainSet.count / recipe.batchSize);
      const epochStarted = performance.now();
      let lastLog = epochStarted;
      let samplesSeen = 0;
      for (let batch = 0; batch < batches; batch++) {
        if (signal?.aborted) {
          aborted = true;
          break;
        }
        const start = batch * recipe.batchSize;
        const size = Math.min(recipe.batchSize, trainSet.count - start);
        step.run(start, size);
        samplesSeen += size;
        samplesTrained += size;
        const now = performance.now();
        if (options.onBatchEnd !== undefined && (now - lastLog >= logInterval || batch === batches - 1)) {
          lastLog = now;
          const [loss, correct] = await step.totals();
          await options.onBatchEnd({
            epoch: epochIndex + 1,
            batch: batch + 1,
            batches,
            samplesSeen,
            loss: loss / samplesSeen,
            accuracy: correct / samplesSeen,
            samplesPerSecond: samplesSeen / ((now - epochStarted) / 1000),
          });
          lastYield = now;
          await yieldToEventLoop();
        } else if (now - lastYield >= logInterval) {
          // No listener, but the event loop still gets its turn so an abort from a timer or UI lands. Counted
          // across epochs: many tiny epochs must not starve the event loop either.
          lastYield = now;
          await yieldToEventLoop();
        }
      }
      if (aborted) break;
      const [loss, correct] = await step.totals();
      const seconds = (performance.now() - epochStarted) / 1000;
      step.syncWeights();
      const log: EpochLog = {
        epoch: epochIndex + 1,
        epochs: recipe.epochs,
        loss: loss / samplesSeen,
        accuracy: correct / samplesSeen,
        seconds,
        samplesPerSecond: samplesSeen / seconds,
        learningRate,
      };
      if (validationSet !== undefined && validationSet.count > 0) {
        const validation = await evaluate(model, validationSet, { crossEntropy: recipe.crossEntropy });
        log.valLoss = validation.loss;
        log.valAccuracy = validation.accuracy;
      }
      history.push(log);
      await options.onEpochEnd?.(log);
    }
    completed = true;
  } finally {
    // On abort and at the end the model gets the trained weights; after a failure it keeps the last epoch's.
    if (completed) step.syncWeights();
    step.dispose();
  }
  return {
    history,
    aborted,
    seconds: (performance.now() - started) / 1000,
    samplesTrained,
    recipe,
    engine: step.engine,
  };
}

/** Keras's `validation_split`: the last fraction of the data, cut before shuffling. */
function splitValidation(
  set: LabelledImages,
  options: TrainOptions,
): { trainSet: LabelledImages; validationSet: LabelledImages | undefined } {
  if (options.validationData !== undefined) {
    return {
      trainSet: set,
      validationSet: snapshotLabelledImages(options.validationData, 'train: validationData'),
    };
  }
  const fraction = options.validationSplit;
  if (fraction === undefined || fraction === 0) return { trainSet: set, validationSet: undefined };
  if (!(fraction > 0 && fraction < 1)) {
    throw new MnistModelError(
      'BAD_INPUT',
      `train: validationSplit must be between 0 and 1; got ${fraction}.`,
    );
  }
  const cut = set.count - Math.round(set.count * fraction);
  return { trainSet: view(set, 0, cut), validationSet: view(set, cut, set.count) };
}

function view(set: LabelledImages, start: number, end: number): LabelledImages {
  return {
    count: end - start,
    images: set.images.subarray(start * PIXELS, end * PIXELS),
    labels: set.labels.subarray(start, end),
  };
}
