import { pretrainedManifest } from '@mnist/models/browser';
import type { ModelName } from './names';

/** Measured test accuracy of a shipped pretrained model, from @mnist/models' manifest (undefined if unknown). */
export function pretrainedAccuracy(name: ModelName): number | undefined {
  return pretrainedManifest[name]?.testAccuracy;
}
