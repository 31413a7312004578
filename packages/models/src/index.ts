/**
 * `@mnist/models`: the MNIST model zoo on TensorFlow.js. Create the Keras tutorial's `simple` and `mlp` models
 * (exactly) or the `cnn`, train them with the tutorial's recipe, evaluate, predict, classify, save and load —
 * on whichever tfjs backend is active. This entry never imports a backend: use `@mnist/models/node` or
 * `@mnist/models/browser` (their `initBackend`) or set one up yourself.
 *
 * @packageDocumentation
 */
export {
  BACKEND_NAMES,
  type BackendAttempt,
  type BackendInfo,
  type BackendName,
  type InitBackendOptions,
  NODE_BACKEND_NAMES,
} from './backend/types.js';
export { type AugmentPlan, applyAugmentation, augment, planAugmentation } from './augment/augment.js';
export {
  type AugmentParams,
  checkAugmentParams,
  DRAWING_AUGMENTATION,
  NO_AUGMENTATION,
} from './augment/params.js';
export { temperatureScaled, withTemperature } from './calibration/apply.js';
export { fitModelTemperature } from './calibration/fit-model.js';
export {
  applyTemperature,
  fitTemperature,
  logProbabilities,
  TEMPERATURE_RANGE,
  type TemperatureFit,
} from './calibration/temperature.js';
export {
  type ConfidentVerdict,
  DEFAULT_VERDICT_THRESHOLDS,
  MIN_READABLE,
  describeVerdict,
  type UncertainVerdict,
  type Verdict,
  type VerdictThresholds,
  verdictFor,
} from './confidence/verdict.js';
export type {
  DrawnBenchmarkFigures,
  DrawnModelFigures,
  DrawnPartInfo,
  DrawnSetFigures,
  DrawnVerdictFigures,
} from './drawn-benchmark/types.js';
export { MnistModelError, type MnistModelErrorCode } from './errors.js';
export { type EvaluateOptions, type Evaluation, evaluate } from './evaluate.js';
export { type InferenceCost, inferenceCost } from './inference.js';
export { CLASSES, type ImagesInput, type LabelledImages, PIXELS, SIDE } from './input.js';
export {
  type FileNames,
  MODEL_JSON,
  type MnistMetadata,
  type ModelFiles,
  type ModelJson,
  modelToFiles,
  WEIGHTS_BIN,
} from './io/artifacts.js';
export {
  type KerasBytes,
  type LoadModelOptions,
  loadModel,
  type ModelSource,
  type SavedModel,
  type SaveModelOptions,
  saveModel,
} from './io/index.js';
export { KERAS_FORMAT_VERSION, modelToKeras } from './io/keras/index.js';
export {
  ONNX_INPUT_NAME,
  ONNX_OPSET,
  ONNX_OUTPUT_NAMES,
  type ToOnnxOptions,
  toOnnx,
} from './onnx/export.js';
export {
  type InputKind,
  MODEL_NAMES,
  type MnistModel,
  type ModelName,
  TUTORIAL_RECIPE,
  type TrainingRecipe,
} from './model.js';
export {
  type ClassScore,
  type Classification,
  type ClassifyOptions,
  classify,
  type PredictOptions,
  predict,
  rank,
} from './predict.js';
export { type BatchLog, type EpochLog, type TrainOptions, type TrainResult, train } from './train/index.js';
export { type RecipeOverrides, resolveRecipe } from './train/recipe.js';
export { type EngineChoice, MAX_THREADS } from './engine/index.js';
export type { EngineReport } from './step.js';
export {
  CROSS_ENTROPY_FORMS,
  type CrossEntropyForm,
  DEFAULT_CROSS_ENTROPY,
  type ForwardPass,
  KERAS_EPSILON,
  logitCrossEntropyPerSample,
  normalizedCrossEntropyPerSample,
  numericEpsilon,
  sparseCrossEntropy,
  sparseCrossEntropyPerSample,
} from './loss.js';
export { classProbabilities, crossEntropyOf, forwardPass } from './forward.js';
export { type CreateModelOptions, createModel, recipeFor } from './zoo/index.js';
export * from './pretrained/index.js';
export { drawnBenchmark } from './generated/drawn-benchmark.js';
