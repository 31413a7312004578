import { MODEL_NAMES, type ModelName, pretrainedManifest } from '@mnist/models/browser';

/** A pretrained model's name (@mnist/models' zoo: every model ships weights). */
export type PretrainedName = ModelName;

/** Measured test accuracy of a shipped pretrained model, from @mnist/models' manifest (undefined if unknown). */
export function pretrainedAccuracy(name: PretrainedName): number | undefined {
  return pretrainedManifest[name]?.testAccuracy;
}

/** The pretrained models the demo offers, best first (by their measured test accuracy). */
export const PRETRAINED: readonly PretrainedName[] = [...MODEL_NAMES].sort(
  (a, b) => (pretrainedAccuracy(b) ?? 0) - (pretrainedAccuracy(a) ?? 0),
);

/** The visitor's own model: trained in this page, or loaded from files saved by `mnist train --save`. */
export const YOURS = 'yours';

/** What the canvas predicts with: a pretrained model or the visitor's own. */
export type ModelChoice = PretrainedName | typeof YOURS;

/** True for a value naming one of the choices (for the URL and storage, which are untrusted). */
export function isModelChoice(value: unknown): value is ModelChoice {
  return value === YOURS || (MODEL_NAMES as readonly unknown[]).includes(value);
}

/** The tfjs backends a browser may have, fastest first. */
export const BACKEND_NAMES = ['webgl', 'wasm', 'cpu'] as const;
/** A browser backend's name. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What each model is, in one plain sentence (its layers are read from the model itself: see layerSpec). */
export const MODEL_DESCRIPTIONS: Readonly<Record<PretrainedName, string>> = {
  cnn: 'Looks at small patches of the image, then at patterns of patches: a convolutional network.',
  mlp: 'Two layers of 100 neurons that each see every pixel: the tutorial’s second model.',
  simple: 'One weight per pixel and digit, nothing more: the tutorial’s first model.',
};

/** What each backend is, in one plain sentence. */
export const BACKEND_DESCRIPTIONS: Readonly<Record<BackendName, string>> = {
  webgl: 'Runs on your graphics card through WebGL.',
  wasm: 'Runs on the processor in WebAssembly: the fastest here for models this small.',
  cpu: 'Plain JavaScript on the processor: slowest, works everywhere.',
};
