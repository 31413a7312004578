import { MnistModelError } from './errors.js';
import type { MnistModel } from './model.js';

/**
 * Refuses a model whose weights were freed (`model.layersModel.dispose()`) with a coded error, before tfjs meets
 * the freed tensors and throws its own uncoded one from deep inside a layer.
 *
 * @throws MnistModelError `DISPOSED`
 */
export function checkNotDisposed(model: MnistModel, operation: string): void {
  for (const weight of model.layersModel.weights) {
    let freed: boolean;
    try {
      freed = weight.read().isDisposed;
    } catch {
      // tfjs-layers throws on reading a variable it disposed.
      freed = true;
    }
    if (freed) {
      throw new MnistModelError(
        'DISPOSED',
        `${operation}: the model '${model.name}' was disposed (its weights are freed). Create or load it again.`,
      );
    }
  }
}
