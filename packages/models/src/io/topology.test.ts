import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { input, type LayersModel, layers, model as functional, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { MnistModelError } from '../errors.js';
import { createModel } from '../zoo/index.js';
import { modelToFiles } from './artifacts.js';
import { sizeTopology, topologyWeightCount } from './topology.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** What tfjs itself saved: the topology JSON, the number of weight values in its manifest and the manifest. */
async function saved(
  layersModel: LayersModel,
): Promise<{ topology: unknown; values: number; specs: { name: string; shape: number[] }[] }> {
  const files = await modelToFiles({
    name: 'x',
    layersModel,
    inputKind: 'image',
    recipe: createModel('simple').recipe,
  });
  const values = files.modelJson.weightsManifest
    .flatMap((group) => group.weights)
    .reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0);
  const specs = files.modelJson.weightsManifest
    .flatMap((group) => group.weights)
    .map(({ name, shape }) => ({ name, shape }));
  return { topology: files.modelJson.modelTopology, values, specs };
}

function refused(topology: unknown, why: RegExp): void {
  let error: unknown;
  try {
    topologyWeightCount(topology, 'model.json');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MnistModelError);
  expect((error as MnistModelError).code).toBe('CORRUPT_FILE');
  expect((error as MnistModelError).message).toMatch(why);
}

describe('topologyWeightCount sizes a topology exactly as tfjs builds it', () => {
  it('agrees with tfjs on the zoo models and on every layer kind it supports', async () => {
    const image = { inputShape: [28, 28, 1] };
    const stacks: (() => LayersModel)[] = [
      () => createModel('simple').layersModel,
      () => createModel('mlp').layersModel,
      () => createModel('cnn').layersModel,
      () =>
        sequential({
          layers: [
            layers.conv2d({ ...image, filters: 6, kernelSize: 5, strides: 2, padding: 'same' }),
            layers.batchNormalization(),
            layers.maxPooling2d({ poolSize: 2 }),
            layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, useBias: false }),
            // tfjs 4.22 leaves depth_multiplier out of SeparableConv2D's saved config (it reloads as 1), so the
            // default multiplier is the one that round-trips.
            layers.separableConv2d({ filters: 5, kernelSize: 2, padding: 'same' }),
            layers.averagePooling2d({ poolSize: [2, 1], strides: 1 }),
            layers.flatten(),
            layers.dropout({ rate: 0.5 }),
            layers.dense({ units: 10, activation: 'softmax' }),
          ],
        }),
      () =>
        sequential({
          layers: [
            layers.zeroPadding2d({
              ...image,
              padding: [
                [1, 2],
                [3, 0],
              ],
            }),
            layers.conv2d({ filters: 4, kernelSize: [3, 2], dilationRate: 2, useBias: false }),
            layers.cropping2D({
              cropping: [
                [1, 1],
                [0, 2],
              ],
            }),
            layers.activation({ activation: 'relu' }),
            layers.globalAveragePooling2d({}),
            layers.reshape({ targetShape: [2, 2] }),
            layers.layerNormalization(),
            layers.flatten(),
            layers.dense({ units: 10 }),
          ],
        }),
      () =>
        sequential({
          layers: [
            layers.reshape({ inputShape: [784], targetShape: [28, 28, 1] }),
            layers.conv2d({ filters: 3, kernelSize: 3 }),
            layers.globalMaxPooling2d({}),
            layers.dense({ units: 10, activation: 'softmax' }),
          ],
        }),
      () => {
        const x = input({ shape: [28, 28, 1], name: 'pixels' });
        const a = layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x) as never;
        const b = layers.conv2d({ filters: 4, kernelSize: 1 }).apply(x) as never;
        const sum = layers.add().apply([a, b]) as never;
        const both = layers.concatenate().apply([sum, a]) as never;
        const flat = layers.flatten().apply(both) as never;
        const out = layers.dense({ units: 10, activation: 'softmax' }).apply(flat) as never;
        return functional({ inputs: x, outputs: out });
      },
    ];
    for (const build of stacks) {
      const layersModel = build();
      const { topology, values, specs } = await saved(layersModel);
      expect(topologyWeightCount(topology, 'model.json')).toBe(values);
      // Every weight by name and shape (tfjs lists the trainable ones first), and every layer's output shape as
      // tfjs built it.
      const sized = sizeTopology(topology, 'model.json');
      const all = sized.layers.flatMap((layer) =>
        layer.weights.map((w) => ({
          name: `${layer.name}/${w.name}`,
          shape: w.shape,
          trainable: w.trainable,
        })),
      );
      const inTfjsOrder = [
        ...all.filter((w) => w.trainable !== false),
        ...all.filter((w) => w.trainable === false),
      ];
      expect(inTfjsOrder.map(({ name, shape }) => ({ name, shape }))).toEqual(specs);
      const built = new Map(layersModel.layers.map((layer) => [layer.name, layer.outputShape]));
      for (const layer of sized.layers) {
        const shape = built.get(layer.name) as number[] | undefined;
        if (shape !== undefined) expect([null, ...layer.outputShape]).toEqual(shape);
      }
      layersModel.dispose();
    }
  });

  it('refuses what would make tfjs allocate out of proportion, or what it cannot size', async () => {
    const { topology } = await saved(createModel('mlp').layersModel);
    const base = JSON.stringify(topology);
    const edit = (change: (layers: Record<string, unknown>[]) => void) => {
      const copy = JSON.parse(base);
      change(copy.config.layers);
      return copy;
    };
    const layerConfig = (layers: Record<string, unknown>[], i: number) =>
      layers[i]?.config as Record<string, unknown>;
    refused(
      edit((l) => {
        layerConfig(l, 1).units = 100_000_000;
      }),
      /units is 100000000/,
    );
    refused(
      edit((l) => {
        layerConfig(l, 1).units = 2.5;
      }),
      /units is 2\.5/,
    );
    refused(
      edit((l) => {
        (l[1] as { class_name: string }).class_name = 'Lambda';
      }),
      /is a Lambda, which loadModel cannot size safely/,
    );
    refused(
      edit((l) => {
        layerConfig(l, 0).batch_input_shape = [null, 1e9];
      }),
      /batch_input_shape/,
    );
    const padded = await saved(
      sequential({
        layers: [layers.zeroPadding2d({ inputShape: [28, 28, 1], padding: 1 }), layers.flatten()],
      }),
    );
    const huge = JSON.parse(JSON.stringify(padded.topology));
    huge.config.layers[0].config.padding = [
      [100000, 0],
      [0, 0],
    ];
    refused(huge, /padding or cropping/);
    refused({ class_name: 'Sequential', config: { layers: [] } }, /no layers/);
    refused(null, /not an object/);
  });

  it('counts the arithmetic of one image and refuses a network above MAX_OPERATIONS_PER_IMAGE, naming the figure', () => {
    const input = { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 28, 28, 1] } };
    const conv = (filters: number) => ({
      class_name: 'Conv2D',
      config: { name: 'conv', filters, kernel_size: [3, 3], padding: 'valid', activation: 'relu' },
    });
    const activations = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        class_name: 'Activation',
        config: { name: `a${i}`, activation: 'relu' },
      }));
    const head = [
      { class_name: 'MaxPooling2D', config: { name: 'pool', pool_size: [2, 2] } },
      { class_name: 'Flatten', config: { name: 'flat' } },
      { class_name: 'Dense', config: { name: 'out', units: 10, activation: 'softmax' } },
    ];
    const network = (...layers: unknown[]) => ({ class_name: 'Sequential', config: { name: 'n', layers } });
    // 26×26×32 values of 3×3 multiply-adds, one per value for the ReLU layer, 13×13×32 windows of 4, 5408 × 10.
    expect(sizeTopology(network(input, conv(32), ...activations(1), ...head), 'm').operations).toBe(
      26 * 26 * 32 * 9 + 26 * 26 * 32 + 13 * 13 * 32 * 4 + 13 * 13 * 32 + 13 * 13 * 32 * 10,
    );
    // The red team's model: each of its layers within every size limit, 200 of them 16.5 million operations each.
    const wide = {
      class_name: 'Conv2D',
      config: { name: 'wide', filters: 21_000, kernel_size: [1, 1], activation: 'linear' },
    };
    refused(
      network(input, wide, ...activations(200), ...head.slice(1)),
      /one image would cost more than 268435456 operations \(multiply-adds, and one per value of every other layer\) by layer a15 \(layer 18 of 204, which alone costs 16464000\)/,
    );
    refused(network(input, conv(32), ...activations(600), ...head), /lists 605 layers \(at most 512\)/);
  });
});
