// The public face of the .keras writer: a thin function that loads the writer (fflate, the config conversion, and
// h5wasm through hdf5.ts) only when a model is written, so an app that never writes a .keras file never loads it.
import type { MnistModel } from '../../model.js';

export { KERAS_FORMAT_VERSION } from './format.js';

/**
 * A model as the bytes of a Keras 3 `.keras` file (what `keras.saving.load_model` opens), compiled as the Keras
 * tutorial compiles (Adam at the model recipe's learning rate with fresh moments, sparse_categorical_crossentropy,
 * metrics ["accuracy"]). Its name, input kind, recipe, seed and temperature ride along in `metadata.json`
 * (`"mnist"`, which Keras does not read), so that `loadModel` gives the same model back. Works in browsers (e.g.
 * for a download) and in Node; the writer and h5wasm are loaded on the first call.
 */
export async function modelToKeras(model: MnistModel): Promise<Uint8Array> {
  const { writeKeras } = await import('./write.js');
  return writeKeras(model);
}
