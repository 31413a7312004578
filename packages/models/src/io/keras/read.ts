// Reading a Keras 3 model: a `.keras` file (the archive: archive.ts; the config: from-keras3.ts; the weights:
// hdf5.ts, where layout.ts says they are), or a Keras 3 config with its weights given another way. Reading ends in
// the same `model.json` + weights pair every other source gives, so the same checks apply after it
// (artifacts.ts: sizes, finite values, the digit-classifier shape).

import type { io } from '@tensorflow/tfjs-core';
import { MnistModelError } from '../../errors.js';
import type { TrainingRecipe } from '../../model.js';
import { TUTORIAL_RECIPE } from '../../model.js';
import { MAX_WEIGHT_BYTES } from '../limits.js';
import { sizeTopology } from '../topology.js';
import { readKerasArchive } from './archive.js';
import { type ConvertedKeras3, fromKeras3, type KerasCompileInfo } from './from-keras3.js';

export { fromKeras3 } from './from-keras3.js';
import { type LayerWeightsPlan, readWeightsH5 } from './hdf5.js';
import { layerGroups, savedByKeras } from './layout.js';

type Json = Record<string, unknown>;
type ModelJson = io.ModelJSON;

/** The weights file named in the manifest of converted models (its bytes come with them, from memory). */
const WEIGHTS_BIN = 'weights.bin';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonEntry(bytes: Uint8Array, entry: string, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${file}: its ${entry} is not valid JSON (${(error as Error).message}). The file is damaged: save the model again.`,
      { file, cause: error },
    );
  }
}

/** The layer whose output is the model's, looking back through Dropout (an identity at inference). */
function outputLayer(topology: Json): Json | undefined {
  const config = isObject(topology.config) ? topology.config : {};
  const layers = (Array.isArray(config.layers) ? config.layers : []) as Json[];
  const byName = new Map(
    layers.map((layer) => [String(isObject(layer.config) ? layer.config.name : ''), layer]),
  );
  let current: Json | undefined = layers[layers.length - 1];
  if (topology.class_name !== 'Sequential') {
    const refs = Array.isArray(config.output_layers) ? config.output_layers : [];
    current = byName.get(String((refs[0] as unknown[] | undefined)?.[0]));
  }
  for (let step = 0; current?.class_name === 'Dropout' && step < layers.length; step++) {
    if (topology.class_name === 'Sequential') current = layers[layers.indexOf(current) - 1];
    else {
      const nodes = current.inbound_nodes as unknown[][][] | undefined;
      current = byName.get(String(nodes?.[0]?.[0]?.[0]));
    }
  }
  return current;
}

/**
 * Refuses a model whose output is not probabilities (sigmoid or softmax): this package reads outputs as
 * probabilities, and a model that gives logits (a last Dense without activation, as in tensorflow.org's
 * beginner quickstart) would be predicted and evaluated wrongly.
 */
export function checkProbabilities(topology: Json, file: string): void {
  const layer = outputLayer(topology);
  const config = isObject(layer?.config) ? layer.config : {};
  const gives =
    layer?.class_name === 'Softmax'
      ? 'softmax'
      : typeof config.activation === 'string'
        ? config.activation
        : 'linear';
  if (gives === 'softmax' || gives === 'sigmoid') return;
  throw new MnistModelError(
    'WRONG_ARCHITECTURE',
    `${file}: its output layer '${String(config.name)}' gives ${gives === 'linear' ? 'logits (no activation)' : `${gives} values`}, ` +
      "but @mnist/models reads a model's outputs as probabilities (a sigmoid or softmax output). In Keras, end the " +
      'model with keras.layers.Softmax() (or Dense(10, activation="softmax")) and save it again.',
    { file },
  );
}

/** Our metadata when we wrote the file; else what the Keras file says (its name and Adam's learning rate). */
function mnistMetadata(metadata: unknown, converted: ConvertedKeras3): unknown {
  if (isObject(metadata) && isObject(metadata.mnist)) return metadata.mnist;
  const rate = converted.compile?.optimizer === 'Adam' ? converted.compile.learningRate : undefined;
  const recipe: TrainingRecipe = { ...TUTORIAL_RECIPE, ...(rate !== undefined && { learningRate: rate }) };
  return { name: converted.name, recipe };
}

/**
 * Converts a Keras 3 config and its weights (read through `readWeights`, given where each layer's weights are) into
 * this package's model files.
 */
export async function keras3ToModelFiles(
  config: unknown,
  file: string,
  readWeights: (plans: LayerWeightsPlan[]) => Promise<Float32Array[][]>,
  metadata?: unknown,
  generatedBy = 'keras',
): Promise<{ modelJson: ModelJson; weights: ArrayBuffer }> {
  const converted = fromKeras3(config, file);
  const topology = converted.modelTopology;
  checkProbabilities(topology, file);
  const sized = sizeTopology(topology, file);
  if (sized.weightCount * 4 > MAX_WEIGHT_BYTES) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${file} describes ${sized.weightCount} weight values, more than the ${MAX_WEIGHT_BYTES} bytes this loader reads.`,
      { file },
    );
  }
  // The layers Keras keeps weights for: a Sequential model's InputLayer (given or added) is not one of them.
  const saved = sized.layers.filter((layer) => savedByKeras(layer.className, sized.functional));
  const groups = layerGroups(saved.map((layer) => layer.className));
  const plans: LayerWeightsPlan[] = saved.map((layer, i) => ({
    group: groups[i] as string,
    layer: layer.name,
    shapes: layer.weights.map((w) => w.shape),
    names: layer.weights.map((w) => `${layer.name}/${w.name}`),
  }));
  const values = await readWeights(plans);
  const weights = new Float32Array(sized.weightCount);
  const specs: io.WeightsManifestEntry[] = [];
  let offset = 0;
  saved.forEach((layer, i) => {
    layer.weights.forEach((w, k) => {
      const data = values[i]?.[k] as Float32Array;
      specs.push({ name: `${layer.name}/${w.name}`, shape: [...w.shape], dtype: 'float32' });
      weights.set(data, offset);
      offset += data.length;
    });
  });
  const compile: KerasCompileInfo | undefined = converted.compile;
  const modelJson: ModelJson = {
    format: 'layers-model',
    generatedBy,
    convertedBy: '@mnist/models (from Keras 3)',
    modelTopology: topology as ModelJson['modelTopology'],
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
    userDefinedMetadata: {
      mnist: mnistMetadata(metadata, converted) as object,
      ...(compile !== undefined ? { keras: { compile } } : {}),
    },
  };
  return { modelJson, weights: weights.buffer };
}

/** Reads a `.keras` file's bytes into this package's model files (see {@link keras3ToModelFiles}). */
export async function kerasToModelFiles(
  bytes: Uint8Array,
  file: string,
): Promise<{ modelJson: ModelJson; weights: ArrayBuffer }> {
  const entries = readKerasArchive(bytes, file);
  const metadata = parseJsonEntry(entries.metadata, 'metadata.json', file);
  const config = parseJsonEntry(entries.config, 'config.json', file);
  const version =
    isObject(metadata) && typeof metadata.keras_version === 'string' ? metadata.keras_version : '3';
  return keras3ToModelFiles(
    config,
    file,
    (plans) => readWeightsH5(entries.weights, plans, file),
    metadata,
    `keras v${version.slice(0, 32)}`,
  );
}
