// The models whose `.keras` export is checked in Keras (test/fixtures/keras/to-keras): the script that writes them
// and the test that re-exports them build each the same way, from here.
import type { MnistData } from '@mnist/data';
import { loadModel } from '../../src/io/index.js';
import type { MnistModel } from '../../src/model.js';
import { loadPretrained } from '../../src/pretrained/index.js';
import { train } from '../../src/train/index.js';
import { createModel } from '../../src/zoo/index.js';

/** One exported model: its file name (without .keras) and how to build it. */
export interface ExportedModel {
  name: string;
  /** What the model is, for the README of the fixtures and for test names. */
  what: string;
  build: (data: MnistData, fixtures: string) => Promise<MnistModel>;
}

export const EXPORTED_MODELS: readonly ExportedModel[] = [
  { name: 'pretrained-simple', what: 'the shipped pretrained simple', build: () => loadPretrained('simple') },
  { name: 'pretrained-mlp', what: 'the shipped pretrained mlp', build: () => loadPretrained('mlp') },
  { name: 'pretrained-cnn', what: 'the shipped pretrained cnn', build: () => loadPretrained('cnn') },
  {
    name: 'trained-mlp',
    what: "createModel('mlp', { seed: 11 }) trained 1 epoch on the first 10,000 training images",
    build: async (data) => {
      const model = createModel('mlp', { seed: 11 });
      await train(model, data.train.take(10_000), { epochs: 1 });
      return model;
    },
  },
  {
    name: 'roundtrip-convnet_functional',
    what: "Keras's functional convnet (from-keras/convnet_functional.keras) loaded here and exported again",
    build: (_, fixtures) => loadModel(`${fixtures}from-keras/convnet_functional.keras`),
  },
  {
    name: 'roundtrip-layer_kinds',
    what: 'every layer kind the writer takes (from-keras/layer_kinds.keras) loaded here and exported again',
    build: (_, fixtures) => loadModel(`${fixtures}from-keras/layer_kinds.keras`),
  },
];
