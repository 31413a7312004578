import type { LabelledImages } from '../input.js';
import type { MnistModel } from '../model.js';
import { predict } from '../predict.js';
import { fitTemperature, type TemperatureFit } from './temperature.js';

/**
 * Fits a model's temperature on a labelled set it was not trained on (e.g. the last 5,000 training images, held
 * out with `validationSplit`): its uncalibrated probabilities, then {@link fitTemperature}. Apply the result with
 * `withTemperature`, and `saveModel` records it in `model.json`.
 */
export async function fitModelTemperature(
  model: MnistModel,
  heldOut: LabelledImages,
): Promise<TemperatureFit> {
  const { temperature: _ignored, ...uncalibrated } = model;
  const probabilities = await predict(uncalibrated, heldOut);
  return fitTemperature(probabilities, heldOut.labels);
}
