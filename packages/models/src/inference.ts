import type { MnistModel } from './model.js';

/**
 * Images per forward pass for inference. Large on purpose: wasm and webgl pay a fixed cost per kernel call,
 * so 1,000 flat images cost little more than one. Image models keep activations 28×28×channels per image,
 * hence a smaller batch.
 */
export function defaultInferenceBatchSize(model: MnistModel): number {
  return model.inputKind === 'flat' ? 1000 : 256;
}
