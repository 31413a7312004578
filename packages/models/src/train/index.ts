import { add, type Tensor1D, zeros } from '@tensorflow/tfjs-core';
import { MnistModelError } from '../errors.js';
import { evaluate } from '../evaluate.js';
import { checkLabelledImages, type LabelledImages, PIXELS } from '../input.js';
import type { MnistModel, TrainingRecipe } from '../model.js';
import { seededPermutation as permutation } from '@mnist/data';
import { deriveSeed } from '../random.js';
import { assembleBatch, augmentationRandom } from './batches.js';
import { trainingStepFor } from './step.js';
import { nextMacrotask } from './yield.js';

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
export interface TrainOptions {
  /** Passes over the training set (recipe default: 5). */
  epochs?: number;
  /** Samples per gradient step (recipe default: 32). */
  batchSize?: number;
  /** Adam's learning rate (recipe default: 0.001). */
  learningRate?: number;
  /** Seed for the per-epoch shuffles and any augmentation (default: the model's seed, else 0). */
  seed?: number;
  /** Reshuffle the training set before every epoch, as Keras does (default true). */
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
}

/**
 * Trains a model in place on a labelled set with a lean custom loop (not `model.fit`): one tidy gradient step
 * per batch with Adam, the running loss and accuracy kept on the backend and read only at the log rate, the
 * training set reshuffled (seeded) every epoch. The defaults are the model's recipe, for `simple` and `mlp`
 * the Keras tutorial's: Adam 0.001, sparse categorical cross-entropy, batch 32, 5 epochs, pixels ÷255.
 *
 * The Adam state lives only for the call: a second `train` starts with fresh moments. No tensors are left
 * behind, even when aborted or when a callback throws.
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
  checkLabelledImages(set, 'train');
  const recipe = resolveRecipe(model.recipe, options);
  const { trainSet, validationSet } = splitValidation(set, options);
  if (trainSet.count === 0) throw new MnistModelError('BAD_INPUT', 'train: the training set is empty.');
  const seed = options.seed ?? model.seed ?? 0;
  const shuffle = options.shuffle ?? true;
  const logInterval = options.batchLogIntervalMs ?? 100;
  const maxShift = model.inputKind === 'image' ? (recipe.maxShift ?? 0) : 0;
  const augmentation = model.inputKind === 'image' ? recipe.augmentation : undefined;
  const signal = options.signal;

  const step = trainingStepFor(model, recipe.learningRate);
  const history: EpochLog[] = [];
  const started = performance.now();
  let samplesTrained = 0;
  let aborted = signal?.aborted ?? false;
  let lastYield = performance.now();

  try {
    for (let epochIndex = 0; epochIndex < recipe.epochs && !aborted; epochIndex++) {
      const learningRate = recipe.learningRate * (recipe.learningRateDecay ?? 1) ** epochIndex;
      step.setLearningRate(learningRate);
      const order = shuffle
        ? permutation(trainSet.count, deriveSeed(seed, epochIndex))
        : Uint32Array.from({ length: trainSet.count }, (_, i) => i);
      const random = maxShift > 0 ? augmentationRandom(deriveSeed(seed ^ 0x5bd1e995, epochIndex)) : undefined;
      const epochAugmentation =
        augmentation === undefined
          ? undefined
          : { params: augmentation, epochSeed: deriveSeed(seed ^ 0x2545f491, epochIndex) };
      const batches = Math.ceil(trainSet.count / recipe.batchSize);
      const epochStarted = performance.now();
      let lastLog = epochStarted;
      let samplesSeen = 0;
      // Running [loss sum, correct count] of the epoch, kept on the backend.
      let totals: Tensor1D = zeros([2]);
      try {
        for (let batch = 0; batch < batches; batch++) {
          if (signal?.aborted) {
            aborted = true;
            break;
          }
          const start = batch * recipe.batchSize;
          const size = Math.min(recipe.batchSize, trainSet.count - start);
          const stats = step.run(
            assembleBatch(trainSet, order, start, size, maxShift, random, epochAugmentation),
          );
          const next = add(totals, stats) as Tensor1D;
          stats.dispose();
          totals.dispose();
          totals = next;
          samplesSeen += size;
          samplesTrained += size;
          const now = performance.now();
          if (options.onBatchEnd !== undefined && (now - lastLog >= logInterval || batch === batches - 1)) {
            lastLog = now;
            const [loss, correct] = await readTotals(totals);
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
            await nextMacrotask();
          } else if (now - lastYield >= logInterval) {
            // No listener, but the event loop still gets its turn so an abort from a timer or UI lands. Counted
            // across epochs: many tiny epochs must not starve the event loop either.
            lastYield = now;
            await nextMacrotask();
          }
        }
        if (aborted) break;
        const [loss, correct] = await readTotals(totals);
        const seconds = (performance.now() - epochStarted) / 1000;
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
          const validation = await evaluate(model, validationSet);
          log.valLoss = validation.loss;
          log.valAccuracy = validation.accuracy;
        }
        history.push(log);
        await options.onEpochEnd?.(log);
      } finally {
        totals.dispose();
      }
    }
  } finally {
    step.dispose();
  }
  return {
    history,
    aborted,
    seconds: (performance.now() - started) / 1000,
    samplesTrained,
    recipe,
  };
}

async function readTotals(totals: Tensor1D): Promise<[number, number]> {
  const values = await totals.data();
  return [values[0] as number, values[1] as number];
}

function resolveRecipe(base: Readonly<TrainingRecipe>, options: TrainOptions): TrainingRecipe {
  const recipe: TrainingRecipe = {
    ...base,
    ...(options.epochs !== undefined && { epochs: options.epochs }),
    ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
    ...(options.learningRate !== undefined && { learningRate: options.learningRate }),
  };
  if (!Number.isInteger(recipe.epochs) || recipe.epochs < 0) {
    throw new MnistModelError(
      'BAD_INPUT',
      `train: epochs must be a non-negative integer; got ${recipe.epochs}.`,
    );
  }
  if (!Number.isInteger(recipe.batchSize) || recipe.batchSize < 1) {
    throw new MnistModelError(
      'BAD_INPUT',
      `train: batchSize must be a positive integer; got ${recipe.batchSize}.`,
    );
  }
  if (!(recipe.learningRate > 0)) {
    throw new MnistModelError(
      'BAD_INPUT',
      `train: learningRate must be positive; got ${recipe.learningRate}.`,
    );
  }
  return recipe;
}

/** Keras's `validation_split`: the last fraction of the data, cut before shuffling. */
function splitValidation(
  set: LabelledImages,
  options: TrainOptions,
): { trainSet: LabelledImages; validationSet: LabelledImages | undefined } {
  if (options.validationData !== undefined) {
    checkLabelledImages(options.validationData, 'train: validationData');
    return { trainSet: set, validationSet: options.validationData };
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
