import { io } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { isTemperature, TEMPERATURE_RULE } from '../calibration/temperature.js';
import { MnistModelError } from '../errors.js';
import { CROSS_ENTROPY_FORMS } from '../loss.js';
import { CLASSES, PIXELS, SIDE } from '../input.js';
import type { InputKind, MnistModel, TrainingRecipe } from '../model.js';
import { MODEL_NAMES, type ModelName, TUTORIAL_RECIPE } from '../model.js';
import { buildLayersModel } from './build.js';
import { isKeras3Config } from './keras/format.js';
import { MAX_WEIGHT_BYTES } from './limits.js';
import { topologyWeightCount } from './topology.js';

/** The standard name of the topology file. */
export const MODEL_JSON = 'model.json';
/** The standard name of the single weights shard this package writes. */
export const WEIGHTS_BIN = 'weights.bin';

/** The `model.json` document (tfjs's `ModelJSON`): topology, weights manifest, metadata. */
export type ModelJson = io.ModelJSON;

/** A model held in memory as its two files: the parsed (or raw) `model.json` and the weights bytes. */
export interface ModelFiles {
  /** `model.json`: parsed, or its text / UTF-8 bytes. */
  modelJson: ModelJson | string | Uint8Array;
  /** All weight shards of the manifest, concatenated in manifest order (`weights.bin` for our models). */
  weights: ArrayBuffer | ArrayBufferView;
}

/** What this package records in `model.json`'s `userDefinedMetadata.mnist`. */
export interface MnistMetadata {
  /** The model's name (`simple`, `mlp`, `cnn` or a user's). */
  name: string;
  /** `flat` (784) or `image` (28×28×1). */
  inputKind: InputKind;
  /** Its default training recipe. */
  recipe: TrainingRecipe;
  /** The seed of its initial weights, when known. */
  seed?: number;
  /** Temperature calibrating its probabilities (absent: 1); see `fitModelTemperature`. */
  temperature?: number;
  /** Always `@mnist/models`. */
  library: '@mnist/models';
}

/** Where files came from, for error messages: the model.json location and the weights location(s). */
export interface FileNames {
  modelJson: string;
  weights: string;
}

/**
 * Serialises a model to the standard tfjs pair, in memory: the `model.json` document (weights manifest
 * pointing at `weights.bin`, our metadata in `userDefinedMetadata.mnist`) and the weights bytes.
 * Stock `tf.loadLayersModel` reads the result.
 */
export async function modelToFiles(
  model: MnistModel,
): Promise<{ modelJson: ModelJson; weights: ArrayBuffer }> {
  let captured: io.ModelArtifacts | undefined;
  await model.layersModel.save(
    io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (captured?.weightSpecs === undefined || captured.weightData === undefined) {
    throw new MnistModelError('WRITE_FAILED', `tfjs did not hand over the weights of model '${model.name}'.`);
  }
  const metadata: MnistMetadata = {
    name: model.name,
    inputKind: model.inputKind,
    recipe: { ...model.recipe },
    ...(model.seed !== undefined && { seed: model.seed }),
    ...(model.temperature !== undefined && model.temperature !== 1 && { temperature: model.temperature }),
    library: '@mnist/models',
  };
  // The same document tfjs's own file savers write, with our metadata added.
  const modelJson: ModelJson = {
    modelTopology: captured.modelTopology as ModelJson['modelTopology'],
    format: captured.format ?? 'layers-model',
    generatedBy: captured.generatedBy ?? 'TensorFlow.js tfjs-layers',
    convertedBy: captured.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: captured.weightSpecs }],
    ...(captured.trainingConfig !== undefined && { trainingConfig: captured.trainingConfig }),
    userDefinedMetadata: { ...(captured.userDefinedMetadata ?? {}), mnist: metadata },
  };
  return { modelJson, weights: io.CompositeArrayBuffer.join(captured.weightData) };
}

/** JSON text or bytes parsed (an object is returned as it is), with the error naming the file. */
function parseJson(value: ModelFiles['modelJson'], file: string): unknown {
  if (!(typeof value === 'string' || value instanceof Uint8Array)) return value;
  const text = typeof value === 'string' ? value : new TextDecoder().decode(value);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${file} is not valid JSON (${(error as Error).message}). The file is damaged or truncated: ` +
        'save the model again with saveModel(), or download both model.json and its weights again.',
      { file, cause: error },
    );
  }
}

/**
 * A Keras 3 config given in memory with weights: the weights are the model's `get_weights()` arrays as float32
 * (little-endian) one after another, which is the order the converted topology lists them in.
 */
async function keras3WithWeights(
  config: unknown,
  weights: ModelFiles['weights'],
  names: FileNames,
): Promise<{ modelJson: ModelJson; weights: ArrayBuffer }> {
  const bytes = toArrayBuffer(weights);
  if (bytes.byteLength === 0) throw keras3WithoutWeights(names.modelJson);
  const { keras3ToModelFiles } = await import('./keras/read.js');
  return keras3ToModelFiles(config, names.modelJson, async (plans) => {
    const needed = plans.reduce(
      (sum, plan) => sum + plan.shapes.reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0),
      0,
    );
    if (bytes.byteLength !== needed * 4) {
      throw new MnistModelError(
        'CORRUPT_FILE',
        `${names.weights} holds ${bytes.byteLength} bytes but the Keras 3 config in ${names.modelJson} needs ` +
          `${needed * 4} (${needed} float32 values, in the order of model.get_weights()). Save the model with ` +
          'model.save("model.keras") instead.',
        { file: names.weights },
      );
    }
    const view = new DataView(bytes);
    let offset = 0;
    return plans.map((plan) =>
      plan.shapes.map((shape) => {
        const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
        for (let i = 0; i < values.length; i++, offset += 4) values[i] = view.getFloat32(offset, true);
        return values;
      }),
    );
  });
}

/** The error for a Keras 3 `model.to_json()` document where a model.json with its weights belongs. */
function keras3WithoutWeights(file: string): MnistModelError {
  return new MnistModelError(
    'UNSUPPORTED',
    `${file} is a Keras 3 model config without weights (what model.to_json() writes): it describes the layers ` +
      'but holds no weights and names no weights file. In Keras, save the whole model with ' +
      'model.save("model.keras") and load that file (loadModel("model.keras"), mnist evaluate --model model.keras).',
    { file },
  );
}

/** Parses `model.json` text or bytes, or checks an already-parsed object, with errors naming the file. */
export function parseModelJson(value: ModelFiles['modelJson'], file: string): ModelJson {
  const parsed = parseJson(value, file);
  const json = parsed as Partial<ModelJson> & { format?: string };
  if (isKeras3Config(json)) throw keras3WithoutWeights(file);
  if (json?.format === 'graph-model') {
    throw new MnistModelError(
      'WRONG_ARCHITECTURE',
      `${file} is a tfjs graph model (from tfjs-converter); @mnist/models loads layers models ` +
        '(saved by saveModel() or tf.LayersModel.save()).',
      { file },
    );
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof json.modelTopology !== 'object' ||
    json.modelTopology === null ||
    !Array.isArray(json.weightsManifest) ||
    !json.weightsManifest.every((group) => Array.isArray(group?.paths) && Array.isArray(group?.weights))
  ) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${file} is not a TensorFlow.js layers model.json: it needs "modelTopology" and a "weightsManifest" ` +
        'of {paths, weights} groups. Point loadModel at a directory written by saveModel().',
      { file },
    );
  }
  return json as ModelJson;
}

const BYTES_PER_VALUE: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
  complex64: 8,
};

/** The byte length the manifest's weights need, shard boundaries ignored. */
export function expectedWeightBytes(modelJson: ModelJson): number {
  let total = 0;
  for (const spec of io.getWeightSpecs(modelJson.weightsManifest) as unknown[]) {
    const { shape, dtype, quantization } = (spec ?? {}) as Partial<io.WeightsManifestEntry>;
    // Untrusted JSON: every dimension must be a whole number, or the size is unknown.
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return Number.NaN;
    const values = shape.reduce((a: number, b: number) => a * b, 1);
    const size = Object.hasOwn(BYTES_PER_VALUE, String(quantization?.dtype ?? dtype))
      ? BYTES_PER_VALUE[String(quantization?.dtype ?? dtype)]
      : undefined;
    if (size === undefined || dtype === 'string') return Number.NaN;
    total += values * size;
  }
  return total;
}

/** Whether every weight is stored as plain float32 (then bytes ÷ 4 is the number of values). */
function isAllFloat32(modelJson: ModelJson): boolean {
  return io
    .getWeightSpecs(modelJson.weightsManifest)
    .every((spec) => spec.dtype === 'float32' && spec.quantization === undefined);
}

/** The error for a manifest whose weights' byte count cannot be known (and so cannot be bounded). */
export function unknownWeightSize(modelJsonName: string): MnistModelError {
  return new MnistModelError(
    'CORRUPT_FILE',
    `${modelJsonName} declares weights of an unknown size (a dtype other than float32, int32, bool, uint8, ` +
      'uint16, float16 or complex64, or a malformed shape), so they cannot be read safely.',
    { file: modelJsonName },
  );
}

/** The relative paths of every weight shard, in manifest order. */
export function weightPaths(modelJson: ModelJson): string[] {
  return modelJson.weightsManifest.flatMap((group) => group.paths);
}

/**
 * Builds an {@link MnistModel} from its files, after checking that they are whole and belong together and
 * that the network is a digit classifier (784 or 28×28×1 in, 10 out).
 */
export async function modelFromFiles(files: ModelFiles, names: FileNames): Promise<MnistModel> {
  const parsed = parseJson(files.modelJson, names.modelJson);
  if (isKeras3Config(parsed))
    return modelFromFiles(await keras3WithWeights(parsed, files.weights, names), names);
  const modelJson = parseModelJson(parsed as ModelJson, names.modelJson);
  if (isKeras3Config(modelJson.modelTopology)) {
    // A Keras 3 config given as the topology of a tfjs manifest: converted as a .keras file's config is.
    const { checkProbabilities, fromKeras3 } = await import('./keras/read.js');
    const converted = fromKeras3(modelJson.modelTopology, names.modelJson).modelTopology;
    checkProbabilities(converted, names.modelJson);
    modelJson.modelTopology = converted as ModelJson['modelTopology'];
  }
  const weights = toArrayBuffer(files.weights);
  const expected = expectedWeightBytes(modelJson);
  if (!Number.isSafeInteger(expected)) throw unknownWeightSize(names.modelJson);
  if (weights.byteLength !== expected) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${names.weights} holds ${weights.byteLength} bytes but ${names.modelJson} describes weights of ` +
        `${expected} bytes. The weights are truncated or belong to another model: save the model again, or ` +
        'download model.json and its weights together again.',
      { file: names.weights },
    );
  }
  // Sized from the JSON before tfjs builds anything: tfjs allocates every weight while it deserialises.
  const needed = topologyWeightCount(modelJson.modelTopology, names.modelJson);
  const listed = expected / 4;
  if (needed * 4 > MAX_WEIGHT_BYTES || (isAllFloat32(modelJson) && needed !== listed)) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${names.modelJson} describes a network with ${needed} weight values but its weights manifest lists ` +
        `${listed}. The topology and the weights do not belong together: save the model again, or download ` +
        'model.json and its weights together again.',
      { file: names.modelJson },
    );
  }
  checkFiniteWeights(modelJson, weights, names);
  let layersModel: LayersModel;
  try {
    layersModel = await buildLayersModel(
      modelJson.modelTopology,
      io.getWeightSpecs(modelJson.weightsManifest),
      weights,
    );
  } catch (error) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `tfjs could not build the model in ${names.modelJson}: ${buildFailure((error as Error).message)}`,
      { file: names.modelJson, cause: error },
    );
  }
  try {
    const inputKind = checkArchitecture(layersModel, names.modelJson);
    return describeLoaded(layersModel, inputKind, modelJson.userDefinedMetadata?.mnist, names.modelJson);
  } catch (error) {
    layersModel.dispose();
    throw error;
  }
}

/**
 * Refuses weights holding NaN or ±Infinity: such a model loads and answers with confident-looking garbage (every
 * image "0 at 10%", an accuracy of 8% reported as if normal). Checks float32 and float16 values in manifest order;
 * quantised integers cannot hold them, but they decode as `q·scale + min` with both numbers from the JSON, so
 * those must be finite and keep every decoded value inside float32's range.
 */
export function checkFiniteWeights(modelJson: ModelJson, weights: ArrayBuffer, names: FileNames): void {
  let offset = 0;
  for (const spec of io.getWeightSpecs(modelJson.weightsManifest)) {
    const values = spec.shape.reduce((a, b) => a * b, 1);
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const size = BYTES_PER_VALUE[dtype] ?? 0;
    checkQuantization(spec, names);
    const bad =
      dtype === 'float32' && spec.quantization === undefined
        ? firstNonFinite32(new DataView(weights, offset, values * 4), values)
        : dtype === 'float16'
          ? firstNonFinite16(new DataView(weights, offset, values * 2), values)
          : -1;
    if (bad >= 0) {
      throw new MnistModelError(
        'CORRUPT_FILE',
        `${names.weights} holds a non-finite value (NaN or ±Infinity) in weight '${spec.name}' at index ${bad}. ` +
          'The model diverged while training or the file is damaged: train or download it again.',
        { file: names.weights },
      );
    }
    offset += values * size;
  }
}

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

function checkQuantization(spec: io.WeightsManifestEntry, names: FileNames): void {
  const quantization = spec.quantization;
  if (quantization === undefined || (quantization.dtype !== 'uint8' && quantization.dtype !== 'uint16'))
    return;
  const { scale, min } = quantization;
  const largest = quantization.dtype === 'uint8' ? 255 : 65535;
  const finite =
    typeof scale === 'number' && typeof min === 'number' && Number.isFinite(scale) && Number.isFinite(min);
  if (!finite || Math.abs(min) + largest * Math.abs(scale) > FLOAT32_MAX) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${names.modelJson} gives weight '${spec.name}' a ${quantization.dtype} quantisation (scale ${String(scale)}, ` +
        `min ${String(min)}) that decodes to non-finite values. The file is damaged: export or download it again.`,
      { file: names.modelJson },
    );
  }
}

function firstNonFinite32(view: DataView, count: number): number {
  for (let i = 0; i < count; i++) if (!Number.isFinite(view.getFloat32(i * 4, true))) return i;
  return -1;
}

function firstNonFinite16(view: DataView, count: number): number {
  // An all-ones exponent is Infinity or NaN in IEEE half precision.
  for (let i = 0; i < count; i++) if ((view.getUint16(i * 2, true) & 0x7c00) === 0x7c00) return i;
  return -1;
}

/** Input kind of a digit classifier, or a `WRONG_ARCHITECTURE` error saying what was found. */
export function checkArchitecture(layersModel: LayersModel, file: string): InputKind {
  const inputs = layersModel.inputs.map((input) => input.shape);
  const outputs = layersModel.outputs.map((output) => output.shape);
  const inputShape = inputs.length === 1 ? inputs[0] : undefined;
  const outputShape = outputs.length === 1 ? outputs[0] : undefined;
  const isFlat = sameShape(inputShape, [PIXELS]);
  const isImage = sameShape(inputShape, [SIDE, SIDE, 1]);
  if ((!isFlat && !isImage) || !sameShape(outputShape, [CLASSES])) {
    throw new MnistModelError(
      'WRONG_ARCHITECTURE',
      `${file} is not an MNIST digit classifier: it takes ${describeShapes(inputs)} and gives ` +
        `${describeShapes(outputs)}, but @mnist/models needs one input of [null, 784] or [null, 28, 28, 1] and ` +
        'one output of [null, 10]. Load a model saved by saveModel(), or build one with createModel().',
      { file },
    );
  }
  return isFlat ? 'flat' : 'image';
}

function sameShape(shape: (number | null)[] | undefined, expected: number[]): boolean {
  return (
    shape !== undefined &&
    shape.length === expected.length + 1 &&
    expected.every((d, i) => shape[i + 1] === d)
  );
}

function describeShapes(shapes: (number | null)[][]): string {
  if (shapes.length === 0) return 'nothing';
  return shapes.map((shape) => `[${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`).join(' and ');
}

function describeLoaded(
  layersModel: LayersModel,
  inputKind: InputKind,
  metadata: unknown,
  file: string,
): MnistModel {
  const meta = (typeof metadata === 'object' && metadata !== null ? metadata : {}) as Partial<MnistMetadata>;
  const temperature = meta.temperature;
  if (temperature !== undefined && !isTemperature(temperature)) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${file} records a temperature of ${JSON.stringify(temperature)} in userDefinedMetadata.mnist; it must be ` +
        `${TEMPERATURE_RULE}, or absent. Save the model again with saveModel().`,
      { file },
    );
  }
  const name = typeof meta.name === 'string' && meta.name.length > 0 ? meta.name : 'custom';
  const recipe = isRecipe(meta.recipe) ? meta.recipe : TUTORIAL_RECIPE;
  const form = recipe.crossEntropy;
  if (form !== undefined && !(CROSS_ENTROPY_FORMS as readonly unknown[]).includes(form)) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${file} records a loss form of ${JSON.stringify(form)} in userDefinedMetadata.mnist.recipe.crossEntropy; ` +
        `it must be ${CROSS_ENTROPY_FORMS.map((f) => `"${f}"`).join(' or ')} (or absent). Save the model again ` +
        'with saveModel().',
      { file },
    );
  }
  return {
    name: MODEL_NAMES.includes(name as ModelName) ? (name as ModelName) : name,
    layersModel,
    inputKind,
    recipe,
    ...(typeof meta.seed === 'number' && { seed: meta.seed }),
    ...(temperature !== undefined && temperature !== 1 && { temperature }),
  };
}

function isRecipe(value: unknown): value is TrainingRecipe {
  const recipe = value as Partial<TrainingRecipe> | undefined;
  return (
    typeof recipe === 'object' &&
    recipe !== null &&
    typeof recipe.learningRate === 'number' &&
    typeof recipe.batchSize === 'number' &&
    typeof recipe.epochs === 'number'
  );
}

/** Copies or reuses bytes as an exact ArrayBuffer (a view may sit inside a larger buffer). */
export function toArrayBuffer(bytes: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.slice().buffer;
}

/**
 * tfjs's reason a topology would not build, in our words where tfjs's own would mislead: an unknown activation
 * gets a paragraph about Python and tf.serialization.registerClass(), which a user loading a file cannot act on.
 */
export function buildFailure(message: string): string {
  // tfjs reports the name camel-cased; the file (like Keras) spells it in snake case.
  const activation = /Unknown activation: ([^\s.]+)/
    .exec(message)?.[1]
    ?.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  if (activation !== undefined)
    return (
      `a layer uses the activation '${activation}', which TensorFlow.js does not have (a custom activation ` +
      'defined in Python cannot be loaded). Use one tfjs has: relu, sigmoid, softmax, tanh, elu, selu, softplus, ' +
      'softsign, relu6, hard_sigmoid, log_softmax, swish, mish, gelu, gelu_new, linear.'
    );
  return (message.split('\n')[0] ?? message).trim();
}
