import { MnistModelError } from '../errors.js';
import { loadModel } from '../io/index.js';
import type { MnistModel } from '../model.js';
import { base64ToBytes } from './codegen.js';
import { pretrainedManifest } from '../generated/pretrained/manifest.js';
import type { PretrainedName, PretrainedWeightsModule } from './types.js';

export { pretrainedManifest } from '../generated/pretrained/manifest.js';
export type { PretrainedEntry, PretrainedManifest, PretrainedName } from './types.js';

/**
 * One dynamic import per model, with literal specifiers: bundlers (Vite, webpack, esbuild, Rollup) then put each
 * model's weights in a chunk of its own that is fetched only when that model is asked for.
 */
const WEIGHTS: Record<PretrainedName, () => Promise<PretrainedWeightsModule>> = {
  simple: () => import('../generated/pretrained/simple.js'),
  mlp: () => import('../generated/pretrained/mlp.js'),
  cnn: () => import('../generated/pretrained/cnn.js'),
};

/**
 * Loads a model with the weights shipped inside this package, trained on the full MNIST training set by
 * `scripts/train-pretrained.ts` (see {@link pretrainedManifest} for the recipe, seed and measured test accuracy).
 * Works offline, in Node and in browser bundles: the weights are embedded in a JavaScript module, no file or
 * network access is involved. Uses the active tfjs backend (set one up first, e.g. `initBackend()`).
 *
 * @param name - `simple`, `mlp` or `cnn`
 * @returns a fresh model (dispose its `layersModel` when done)
 * @throws MnistModelError `UNKNOWN_MODEL` for another name or a model whose weights were not generated
 */
export async function loadPretrained(name: PretrainedName): Promise<MnistModel> {
  const load = Object.hasOwn(WEIGHTS, name) ? WEIGHTS[name] : undefined;
  if (load === undefined || pretrainedManifest[name] === undefined) {
    const shipped = Object.keys(pretrainedManifest).join(', ') || 'none';
    throw new MnistModelError(
      'UNKNOWN_MODEL',
      `No pretrained weights for '${String(name)}'. Shipped: ${shipped}. ` +
        'Generate them with `pnpm --filter @mnist/models train:pretrained`.',
    );
  }
  const module = await load();
  return loadModel({ modelJson: module.modelJson, weights: base64ToBytes(module.weightsBase64) });
}
