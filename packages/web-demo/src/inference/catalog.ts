import type { ModelName } from './names';

/** Measured test accuracy of a shipped pretrained model, from @mnist/models' manifest (undefined if unknown). */
export function pretrainedAccuracy(_name: ModelName): number | undefined {
  return undefined;
}
