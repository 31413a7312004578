// Turning checked model files into a tfjs LayersModel without leaving anything behind when tfjs refuses them.
// tfjs-layers creates weight variables layer by layer while it deserialises a topology and leaks them (and the
// decoded weights) when a later layer or the weight loading throws; hostile or damaged files make it throw.
// So the topology is built with zero initialisers (cheap: no random or orthogonal initialiser ever runs, its
// size is bounded by topology.ts beforehand), the weights are decoded and loaded here, and every variable tfjs
// created is disposed on any failure.

import { dispose, engine, io, type NamedTensorMap } from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';

/** Every `*_initializer` of a Keras-format topology replaced by Zeros (its saved config is otherwise unchanged). */
function withZeroInitializers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withZeroInitializers);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    out[key] =
      key.endsWith('_initializer') && entry !== null
        ? { class_name: 'Zeros', config: {} }
        : withZeroInitializers(entry);
  }
  return out;
}

/** Disposes the layer variables registered since `before` (named `<layer>/<weight>`, unlike plain variables). */
function disposeLayerVariablesSince(before: ReadonlySet<string>): void {
  const registered = engine().registeredVariables;
  for (const name of Object.keys(registered)) {
    if (!before.has(name) && name.includes('/')) registered[name]?.dispose();
  }
}

/**
 * Builds the layers model of `modelTopology` and loads `weights` (laid out as `specs` say) into it, strictly: every
 * weight of the network must be in the manifest with its shape, and nothing else. Throws tfjs's own error on
 * failure, after disposing whatever it had created.
 */
export async function buildLayersModel(
  modelTopology: unknown,
  specs: io.WeightsManifestEntry[],
  weights: ArrayBuffer,
): Promise<LayersModel> {
  const before = new Set(Object.keys(engine().registeredVariables));
  let layersModel: LayersModel;
  try {
    layersModel = await loadLayersModel(
      io.fromMemory({
        modelTopology: withZeroInitializers(modelTopology) as io.ModelArtifacts['modelTopology'],
      }),
    );
  } catch (error) {
    disposeLayerVariablesSince(before);
    throw error;
  }
  let decoded: NamedTensorMap | undefined;
  try {
    decoded = io.decodeWeights(weights, specs);
    layersModel.loadWeights(decoded, true);
    return layersModel;
  } catch (error) {
    layersModel.dispose();
    throw error;
  } finally {
    if (decoded !== undefined) dispose(Object.values(decoded));
  }
}
