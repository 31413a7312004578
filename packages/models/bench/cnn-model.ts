// A cnn of any of the zoo's layer lists with a given recipe, as train() takes it: what the benchmarks race and
// compare (createModel('cnn') builds only the shipped layers and recipe).
import type { MnistModel, TrainingRecipe } from '../src/model.js';
import { type CnnLayerSpec, createCnn } from '../src/zoo/cnn.js';

export function cnnModel(
  layers: readonly CnnLayerSpec[],
  recipe: Readonly<TrainingRecipe>,
  seed: number,
  name = 'cnn',
): MnistModel {
  return { name, layersModel: createCnn({ seed, layers }), inputKind: 'image', recipe, seed };
}
