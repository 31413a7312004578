import type { ModelJson } from '@mnist/models/browser';
import type { TrainSettings } from '../training/settings';
import { formatCount } from '../format';

/** The visitor's own model as the page keeps it (in IndexedDB, so it survives a reload). */
export interface YourModel {
  /** `model.json`, parsed. */
  modelJson: ModelJson;
  /** The weights, concatenated in manifest order (`weights.bin`). */
  weights: ArrayBuffer;
  /** Where it came from. */
  origin: 'trained' | 'loaded';
  /** The architecture's name (`simple`, `mlp`, `cnn`, or what model.json says). */
  name: string;
  /** When it was trained or loaded (ISO 8601). */
  savedAt: string;
  /** Accuracy on the 10,000 test images, when measured here. */
  testAccuracy?: number;
  /** How it was trained here. */
  settings?: TrainSettings;
  /** Epochs completed (a stopped run may have fewer than planned). */
  epochsDone?: number;
  /** Training was stopped before the planned end. */
  stopped?: boolean;
  /** For a loaded model: the file it came from. */
  fileName?: string;
}

/** One line about the model for the picker, e.g. "simple trained here on 2,000 images, 1 epoch · 89.12%". */
export function describeYourModel(model: YourModel): string {
  const accuracy =
    model.testAccuracy === undefined ? '' : ` · ${(model.testAccuracy * 100).toFixed(2)}% on the test set`;
  if (model.origin === 'loaded') return `${model.name}, loaded from ${model.fileName ?? 'files'}${accuracy}`;
  const s = model.settings;
  if (!s) return `${model.name}, trained here${accuracy}`;
  const epochs = model.epochsDone ?? s.epochs;
  const stopped = model.stopped ? ' (stopped early)' : '';
  return (
    `${model.name} trained here on ${formatCount(s.trainImages)} images, ` +
    `${epochs} epoch${epochs === 1 ? '' : 's'}${stopped}${accuracy}`
  );
}
