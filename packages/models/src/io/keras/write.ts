// Writing a model as a Keras 3 `.keras` file: its tfjs topology and weights (artifacts.ts's modelToFiles) as a
// Keras 3 config (to-keras3.ts), `model.weights.h5` (hdf5.ts, where layout.ts says) and the archive (archive.ts).

import { io } from '@tensorflow/tfjs-core';
import { MnistModelError } from '../../errors.js';
import type { MnistModel } from '../../model.js';
import { type MnistMetadata, modelToFiles } from '../artifacts.js';
import { writeKerasArchive } from './archive.js';
import { KERAS_FORMAT_VERSION } from './format.js';
import { type VarsGroup, writeWeightsH5 } from './hdf5.js';
import { toKeras3 } from './to-keras3.js';

type Json = Record<string, unknown>;

/** `YYYY-MM-DD@HH:MM:SS`, as Keras writes `date_saved`. */
function dateSaved(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}@` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

/** The parts of a `.keras` file for `model`, before they are zipped (tests compare them). */
export async function kerasParts(
  model: MnistModel,
): Promise<{ config: Json; metadata: Json; groups: VarsGroup[] }> {
  const files = await modelToFiles(model);
  const file = `model '${model.name}'`;
  const { config, saved } = toKeras3(
    files.modelJson.modelTopology,
    { learningRate: model.recipe.learningRate },
    file,
  );
  const decoded = io.decodeWeights(files.weights, io.getWeightSpecs(files.modelJson.weightsManifest));
  const weightValues = (name: string): Float32Array => {
    const tensor = decoded[name];
    if (tensor === undefined) {
      throw new MnistModelError('WRITE_FAILED', `tfjs did not hand over the weight ${name} of ${file}.`);
    }
    return tensor.dataSync() as Float32Array;
  };
  try {
    const groups: VarsGroup[] = [{ group: '', name: String((config.config as Json).name), datasets: [] }];
    const trainable: { shape: readonly number[] }[] = [];
    for (const layer of saved) {
      groups.push({
        group: layer.group,
        name: layer.layer,
        datasets: layer.weights.map((w) => ({ shape: w.shape, values: weightValues(w.tfjsName).slice() })),
      });
      for (const w of layer.weights) if (w.trainable) trainable.push(w);
    }
    // A fresh Adam, as Keras would save one after building it: its step count, its learning rate, and a zero
    // first and second moment for every trainable weight, in that order (without them Keras warns on loading).
    groups.push({
      group: 'optimizer',
      name: 'adam',
      datasets: [
        { scalarInt64: 0n },
        { shape: [], values: Float32Array.of(model.recipe.learningRate) },
        ...trainable.flatMap((w) => {
          const size = w.shape.reduce((a, b) => a * b, 1);
          return [
            { shape: w.shape, values: new Float32Array(size) },
            { shape: w.shape, values: new Float32Array(size) },
          ];
        }),
      ],
    });
    const metadata = {
      keras_version: KERAS_FORMAT_VERSION,
      date_saved: dateSaved(new Date()),
      mnist: (files.modelJson.userDefinedMetadata as { mnist: MnistMetadata }).mnist,
    };
    return { config, metadata, groups };
  } finally {
    for (const tensor of Object.values(decoded)) tensor.dispose();
  }
}

/** The bytes of a `.keras` file for `model` (see `modelToKeras` in index.ts, which loads this module on use). */
export async function writeKeras(model: MnistModel): Promise<Uint8Array> {
  const { config, metadata, groups } = await kerasParts(model);
  const encoder = new TextEncoder();
  return writeKerasArchive({
    config: encoder.encode(JSON.stringify(config)),
    metadata: encoder.encode(JSON.stringify(metadata)),
    weights: await writeWeightsH5(groups),
  });
}
