/** The pretrained models the demo offers, best first. */
export const MODEL_NAMES = ['cnn', 'mlp', 'simple'] as const;
/** A pretrained model's name. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** The tfjs backends a browser may have, fastest first. */
export const BACKEND_NAMES = ['webgl', 'wasm', 'cpu'] as const;
/** A browser backend's name. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** One line per model for the picker (the architectures are @mnist/models' zoo). */
export const MODEL_DESCRIPTIONS: Readonly<Record<ModelName, string>> = {
  cnn: 'convolutional network',
  mlp: 'Dense(100, relu) → Dense(100, relu) → Dense(10, sigmoid)',
  simple: 'Dense(10, sigmoid)',
};
