import type { ModelName, TrainingRecipe } from '../model.js';

/** The models that ship pretrained weights: all three. */
export type PretrainedName = ModelName;

/** How one shipped model was trained and how well it does, as measured by `scripts/train-pretrained.ts`. */
export interface PretrainedEntry {
  /** `simple`, `mlp` or `cnn`. */
  name: PretrainedName;
  /** Accuracy on the 10,000 MNIST test images, 0..1. */
  testAccuracy: number;
  /** Mean sparse categorical cross-entropy on the test images. */
  testLoss: number;
  /** Training loss and accuracy of the last epoch (running means over its batches). */
  finalTrainLoss: number;
  /** See {@link PretrainedEntry.finalTrainLoss}. */
  finalTrainAccuracy: number;
  /** Trainable parameters. */
  params: number;
  /** Bytes of the float32 weights (`weights.bin`). */
  weightBytes: number;
  /** The recipe it was trained with (epochs, batch size, learning rate and schedule, augmentation). */
  recipe: TrainingRecipe;
  /** Seed of the initial weights, the shuffles and the augmentation. */
  seed: number;
  /** Training images (the full MNIST training set: 60,000). */
  trainImages: number;
  /** Test images evaluated (10,000). */
  testImages: number;
  /** tfjs backend it was trained and evaluated on. */
  backend: string;
  /** Wall-clock seconds of training (evaluation excluded). */
  trainingSeconds: number;
  /**
   * How the weights are stored: `float16` halves the bytes (tfjs's half-precision quantisation, expanded on load);
   * every figure here is measured on the weights as stored. Absent in entries written before it existed: float32.
   */
  weightStorage?: 'float32' | 'float16';
  /** For half-precision weights: the test accuracy of the float32 weights they were rounded from. */
  float32TestAccuracy?: number;
  /** What ran the training steps, e.g. "wasm engine, 2 thread(s)" (absent in entries written before it existed). */
  engine?: string;
  /** One-minute load average of the machine when training started and ended (it is shared: times vary with it). */
  loadAverage?: [start: number, end: number];
  /**
   * For a model trained with images held out from the end of the training set: the temperature fitted there (in
   * its model.json too, applied by `predict`/`classify`) and the expected calibration error (15 bins) on those
   * held-out images before and after it.
   */
  calibration?: { temperature: number; heldOutImages: number; eceBefore: number; eceAfter: number };
  /** Mean training throughput, samples per second. */
  samplesPerSecond: number;
  /** The command that produced it, run from the repository root. */
  command: string;
  /** When it finished, ISO 8601. */
  date: string;
  /** `@tensorflow/tfjs-core` version used. */
  tfjsVersion: string;
  /** Node.js version used. */
  nodeVersion: string;
  /** Per-epoch log: training loss/accuracy and the learning rate used. */
  epochs: { epoch: number; loss: number; accuracy: number; learningRate: number; seconds: number }[];
}

/** Every shipped model's entry, by name. */
export type PretrainedManifest = Readonly<Partial<Record<PretrainedName, Readonly<PretrainedEntry>>>>;

/** What a generated weights module exports. */
export interface PretrainedWeightsModule {
  /** The `model.json` document, as JSON text. */
  modelJson: string;
  /** The `weights.bin` bytes, base64. */
  weightsBase64: string;
}
