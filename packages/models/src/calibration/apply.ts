import { div, log, softmax, type Tensor } from '@tensorflow/tfjs-core';
import type { MnistModel } from '../model.js';
import { checkTemperature } from './temperature.js';

/**
 * Probabilities (rows summing to 1, every entry above 0) at the model's temperature: softmax(log p / T). Unchanged
 * when the model has none or it is 1. The tensor twin of `applyTemperature`.
 */
export function temperatureScaled(probabilities: Tensor, temperature: number | undefined): Tensor {
  if (temperature === undefined || temperature === 1) return probabilities;
  // A model is a plain object: a temperature can arrive without withTemperature's check. The logs are at least
  // log ε (the probabilities are clipped) and the temperature is in range, so the quotient stays finite.
  return softmax(div(log(probabilities), checkTemperature(temperature, 'model.temperature')));
}

/** The same model (same tfjs network, not copied) with `temperature` applied by predict and classify. */
export function withTemperature(model: MnistModel, temperature: number): MnistModel {
  return { ...model, temperature: checkTemperature(temperature, 'withTemperature') };
}
