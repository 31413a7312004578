// Writes test/fixtures/keras/to-keras/*.keras: the models of exported-models.ts saved by saveModel(model, "x.keras").
// `make_keras_fixtures.py check` then loads each in Keras and records what Keras says (figures.json, "toKeras").
// Run through `pnpm --filter @mnist/models keras:fixtures` (all steps), or alone:
//   node --import tsx --conditions=@mnist/source scripts/keras/export-keras-fixtures.ts
// MNIST is found as @mnist/data finds it (MNIST_DATA_DIR first).
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@mnist/data';
import { saveModel } from '../../src/io/index.js';
import { initBackend } from '../../src/node.js';
import { EXPORTED_MODELS } from './exported-models.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/keras/', import.meta.url));
await initBackend('wasm', { log: false });
const data = await loadMnist({ download: false });
rmSync(`${fixtures}to-keras`, { recursive: true, force: true });
for (const { name, build } of EXPORTED_MODELS) {
  const model = await build(data, fixtures);
  const saved = await saveModel(model, `${fixtures}to-keras/${name}.keras`);
  console.log(`${name}: ${saved.modelJsonPath} (${model.layersModel.countParams()} weights)`);
  model.layersModel.dispose();
}
