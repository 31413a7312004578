// The compact cnn: the pretrained `cnn` until the drawing-robust one replaced it, kept as the architecture
// `bench:tutorial` and the drawn-digit research race against PyTorch (torch_cnn_reference.py builds the same list).
import type { TrainingRecipe } from '../src/model.js';
import type { CnnLayerSpec } from '../src/zoo/cnn.js';

/**
 * The compact cnn that shipped before drawn digits were measured (99.44% on MNIST test, 72,266 parameters): three
 * ReLU convolutions (5×5/32 stride 2, 3×3/64 stride 2, 3×3/64 valid) and the softmax classifier. Kept because
 * `bench:tutorial` races it against the same model in PyTorch (`torch_cnn_reference.py`), which has no drawing
 * augmentation to compare with.
 */
export const COMPACT_CNN_LAYERS: readonly CnnLayerSpec[] = Object.freeze([
  { kind: 'conv2d', name: 'conv1', filters: 32, kernelSize: 5, strides: 2, padding: 'same' },
  { kind: 'conv2d', name: 'conv2', filters: 64, kernelSize: 3, strides: 2, padding: 'same' },
  { kind: 'conv2d', name: 'conv3', filters: 64, kernelSize: 3, strides: 1, padding: 'valid' },
  { kind: 'flatten', name: 'flatten' },
  { kind: 'dense', name: 'output', units: 10, activation: 'softmax' },
]);

/** The compact cnn's recipe: batch 64, Adam 0.002 ×0.75 per epoch, 12 epochs, random whole-pixel shifts ±2 px. */
export const compactCnnRecipe: Readonly<TrainingRecipe> = Object.freeze({
  optimizer: 'adam',
  learningRate: 0.002,
  loss: 'sparse-categorical-crossentropy',
  crossEntropy: 'logits',
  batchSize: 64,
  epochs: 12,
  learningRateDecay: 0.75,
  maxShift: 2,
});
