// The engine's WebAssembly module: everything exported here is callable from the host (src/engine/).
// Built twice by `pnpm --filter @mnist/models build:wasm`, with shared memory (threads) and without.

export { ADAM_ALPHA, ADAM_EPSILON, ADAM_ONE_MINUS_BETA1, ADAM_ONE_MINUS_BETA2, adamUpdate } from './adam';
export { AUGMENT_PARAMS_LENGTH, AUGMENT_SCRATCH_BYTES, augmentImage, augmentSeed } from './augment';
export { col2im, im2col } from './conv';
export { biasActivation, columnSums, reluBackward } from './elementwise';
export { gatherBatch, sampleSeed } from './gather';
export { gemm, transpose } from './gemm';
export { LOSS_FROM_LOGITS, LOSS_FROM_PROBABILITIES, OUTPUT_SIGMOID, OUTPUT_SOFTMAX, outputGradient } from './loss';
export * from './network';
