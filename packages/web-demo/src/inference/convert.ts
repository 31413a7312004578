// The visitor's model between formats: a dropped .keras file into the model.json + weights pair the page keeps,
// and the pair out as .keras or ONNX for "Download for Keras" and "Download as ONNX". A module the engine imports
// on first use, so none of this is part of a first visit; @mnist/models itself then loads the .keras reader and
// writer with h5wasm (about 1 MB gzipped) and the ONNX protobuf encoder only when they are called.
import {
  loadModel,
  type MnistModel,
  type ModelJson,
  modelToFiles,
  modelToKeras,
  toOnnx,
} from '@mnist/models/browser';
import type { ExportFormat } from '../yours/downloads';

/**
 * A `.keras` file's model (`loadModel({ keras })`, every check of the reader) as the model.json + weights pair,
 * with its name. The model read on the way is disposed.
 */
export async function kerasToPair(
  keras: Uint8Array,
  fileName: string,
): Promise<{ modelJson: ModelJson; weights: ArrayBuffer; name: string }> {
  const model = await loadModel({ keras, name: fileName });
  try {
    return { ...(await modelToFiles(model)), name: model.name };
  } finally {
    model.layersModel.dispose();
  }
}

/** A model as the bytes of a Keras 3 `.keras` file or an ONNX file. */
export function exportBytes(model: MnistModel, format: ExportFormat): Promise<Uint8Array> {
  return format === 'keras' ? modelToKeras(model) : toOnnx(model);
}
