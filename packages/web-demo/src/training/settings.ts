import { DATASETS } from '@mnist/data';
import { MODEL_NAMES, type ModelName, pretrainedManifest, recipeFor } from '@mnist/models';

/** What a visitor chooses before pressing Train. */
export interface TrainSettings {
  model: ModelName;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seed of the initial weights and of the per-epoch shuffles (as `mnist train --seed`). */
  seed: number;
  /** How many training images to use, the first ones of the training set (1..60,000). */
  trainImages: number;
}

/** The size of MNIST's training split. */
export const TRAIN_IMAGES_TOTAL = DATASETS.mnist.counts.train;

/** Training-set sizes the form offers: a quick look, a fair try, the tutorial's whole set. */
export const TRAIN_IMAGE_CHOICES = [2000, 10000, TRAIN_IMAGES_TOTAL] as const;

/** Bounds on what the page accepts (the worker checks again: messages are input like any other). */
export const LIMITS = {
  epochs: { min: 1, max: 50 },
  batchSize: { min: 1, max: 4096 },
  learningRate: { min: 1e-6, max: 1 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  trainImages: { min: 1, max: TRAIN_IMAGES_TOTAL },
} as const;

/**
 * The model's own recipe (the Keras tutorial's for `simple` and `mlp`), the seed its shipped weights were trained
 * with, and the whole training set: pressing Train without changing anything repeats how the pretrained model was
 * made.
 */
export function defaultSettings(model: ModelName): TrainSettings {
  const recipe = recipeFor(model);
  return {
    model,
    epochs: recipe.epochs,
    batchSize: recipe.batchSize,
    learningRate: recipe.learningRate,
    seed: pretrainedManifest[model]?.seed ?? 0,
    trainImages: TRAIN_IMAGES_TOTAL,
  };
}

/** A field of {@link TrainSettings} that holds a number. */
export type NumericSetting = Exclude<keyof TrainSettings, 'model'>;

/** Why a value is refused, in words for the form; undefined when it is fine. */
export function settingProblem(field: NumericSetting, value: number): string | undefined {
  const { min, max } = LIMITS[field];
  const whole = field !== 'learningRate';
  if (!Number.isFinite(value)) return 'Enter a number.';
  if (whole && !Number.isInteger(value)) return 'Enter a whole number.';
  if (value < min || value > max) return `Choose between ${formatLimit(min)} and ${formatLimit(max)}.`;
  return undefined;
}

function formatLimit(n: number): string {
  return n < 0.001 ? String(n) : n.toLocaleString('en-US');
}

/** Thrown by {@link parseSettings} for settings that are not usable. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/**
 * Checks untrusted settings (a message from the page, values typed in a form) and returns a clean copy.
 *
 * @throws SettingsError naming the first field that is wrong and why
 */
export function parseSettings(value: unknown): TrainSettings {
  if (typeof value !== 'object' || value === null) throw new SettingsError('Training settings are missing.');
  const v = value as Record<string, unknown>;
  if (typeof v.model !== 'string' || !(MODEL_NAMES as readonly string[]).includes(v.model)) {
    throw new SettingsError(`Unknown model '${String(v.model)}': choose one of ${MODEL_NAMES.join(', ')}.`);
  }
  const out = { model: v.model as ModelName } as TrainSettings;
  for (const field of Object.keys(LIMITS) as NumericSetting[]) {
    const n = v[field];
    const problem = typeof n === 'number' ? settingProblem(field, n) : 'Enter a number.';
    if (problem) throw new SettingsError(`${field}: ${problem}`);
    out[field] = n as number;
  }
  return out;
}
