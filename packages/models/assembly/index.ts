// The engine's WebAssembly module: everything exported here is callable from the host (src/engine/).
// Built twice by `pnpm --filter @mnist/models build:wasm`, with shared memory (threads) and without.

export { adamUpdate } from './adam';
export { AUGMENT_PARAMS_LENGTH, AUGMENT_SCRATCH_BYTES, augmentImage, augmentSeed } from './augment';
export { col2im, im2col } from './conv';
export { biasActivation, columnSums, reluBackward } from './elementwise';
export { gatherBatch, sampleSeed } from './gather';
export { gemm, transpose } from './gemm';
export { LOSS_FROM_LOGITS, LOSS_FROM_PROBABILITIES, outputGradient } from './loss';
export * from './network';
