// toOnnx: every export runs in onnxruntime-node and must give what predict gives, on the pretrained models over the
// whole MNIST test set and on hand-built networks with every layer kind the exporter converts.
import type { MnistSplit } from '@mnist/data';
import { initializers, type LayersModel, layers, sequential } from '@tensorflow/tfjs-layers';
import { tensor } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CrossEntropyForm,
  initBackend,
  loadPretrained,
  type MnistModel,
  MnistModelError,
  MODEL_NAMES,
  ONNX_OPSET,
  predict,
  TUTORIAL_RECIPE,
  type ToOnnxOptions,
  toOnnx,
  withTemperature,
} from '../src/node.js';
import { mnist } from './support/data.js';
import { argMaxRows, decodeOnnx, largestDifference, runOnnx } from './support/onnx.js';

/** How far onnxruntime's float32 arithmetic may stray from tfjs's. */
const TOLERANCE = 1e-5;

let test: MnistSplit;
beforeAll(async () => {
  await initBackend('wasm', { log: false });
  test = (await mnist()).test;
});

/** How many of the images the raw outputs are compared on (a second forward pass; the cnn's costs seconds). */
const RAW_OUTPUT_IMAGES = 1000;

/**
 * Exports `model`, runs the file on `images` and checks its probabilities against predict on all of them, its raw
 * outputs against predict's raw outputs on the first {@link RAW_OUTPUT_IMAGES}; returns the largest gaps.
 */
async function expectSameAsPredict(
  model: MnistModel,
  images: Uint8Array,
): Promise<{ probabilities: number; outputs: number }> {
  const onnx = await runOnnx(await toOnnx(model), images, model.inputKind);
  const probabilities = await predict(model, images);
  const some = images.subarray(0, Math.min(images.length, RAW_OUTPUT_IMAGES * 784));
  const outputs = await predict(model, some, { raw: true });
  const gaps = {
    probabilities: largestDifference(onnx.probabilities, probabilities),
    outputs: largestDifference(onnx.outputs.subarray(0, outputs.length), outputs),
  };
  expect(gaps.probabilities).toBeLessThan(TOLERANCE);
  expect(gaps.outputs).toBeLessThan(TOLERANCE);
  expect(argMaxRows(onnx.probabilities)).toEqual(argMaxRows(probabilities));
  return gaps;
}

/** Test images per model: all 10,000 for the dense models; the cnn's first 2,000 (its forward pass costs seconds). */
const IMAGES: Readonly<Record<(typeof MODEL_NAMES)[number], number>> = { simple: 10_000, mlp: 10_000, cnn: 2_000 };

describe('toOnnx on the pretrained models', () => {
  for (const name of MODEL_NAMES) {
    it(`${name}: onnxruntime gives predict's probabilities on ${IMAGES[name].toLocaleString('en')} test images, its raw outputs on the first 1,000`, async () => {
      const model = await loadPretrained(name);
      try {
        const gaps = await expectSameAsPredict(model, test.images.subarray(0, IMAGES[name] * 784));
        console.log(
          `${name}: largest difference ${gaps.probabilities.toExponential(2)} (probabilities), ${gaps.outputs.toExponential(2)} (outputs)`,
        );
      } finally {
        model.layersModel.dispose();
      }
    });
  }

  it('says what it holds: opset, producer, input and outputs with a free batch size, the same bytes every time', async () => {
    const model = await loadPretrained('cnn');
    try {
      const bytes = await toOnnx(model);
      expect(await toOnnx(model)).toEqual(bytes);
      const decoded = decodeOnnx(bytes);
      expect(decoded.irVersion).toBe(7);
      expect(decoded.opsetImport).toEqual([{ version: ONNX_OPSET }]);
      expect(decoded.producerName).toBe('@mnist/models');
      expect(decoded.producerVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect(decoded.docString).toContain('pixels: float32 [N, 28, 28, 1], NHWC');
      expect(decoded.docString).toContain('divided by 255 (0..1)');
      expect(decoded.graph.name).toBe('cnn');
      const dims = (info: (typeof decoded.graph.input)[number]) =>
        info.type.tensorType.shape.dim.map((dim) => dim.dimParam ?? dim.dimValue);
      expect(decoded.graph.input.map((info) => [info.name, dims(info)])).toEqual([
        ['pixels', ['N', 28, 28, 1]],
      ]);
      expect(decoded.graph.output.map((info) => [info.name, dims(info)])).toEqual([
        ['probabilities', ['N', 10]],
        ['outputs', ['N', 10]],
      ]);
      expect(decoded.metadataProps).toEqual([
        { key: 'mnist.name', value: 'cnn' },
        { key: 'mnist.input_kind', value: 'image' },
        // The shipped cnn is calibrated (see the manifest).
        { key: 'mnist.temperature', value: String(model.temperature) },
        {
          key: 'mnist.probabilities',
          value: `softmax(z / ${model.temperature}), z the output layer's logits`,
        },
      ]);
      expect(model.temperature).not.toBe(1);
      // Five convolutions in NCHW between one transpose in and one out, before Flatten.
      const ops = decoded.graph.node.map((node) => node.opType);
      expect(ops.filter((op) => op === 'Transpose')).toHaveLength(2);
      expect(ops.filter((op) => op === 'Conv')).toHaveLength(5);
    } finally {
      model.layersModel.dispose();
    }
  });
});

/** Seeded initialisers, so that the hand-built networks are the same on every run. */
function seeded(seed: number) {
  return {
    kernelInitializer: initializers.glorotUniform({ seed }),
    biasInitializer: initializers.randomUniform({ minval: -0.2, maxval: 0.2, seed: seed + 1000 }),
  };
}

/** A tfjs network as an MnistModel that trains and predicts like the zoo's. */
function wrap(name: string, network: LayersModel, inputKind: MnistModel['inputKind']): MnistModel {
  return { name, layersModel: network, inputKind, recipe: TUTORIAL_RECIPE };
}

/** Gives a BatchNormalization layer statistics and scales far from 1 and 0, so a wrong formula shows. */
function randomiseBatchNormalization(network: LayersModel, name: string): void {
  const layer = network.getLayer(name);
  const channels = layer.getWeights()[0]?.shape[0] as number;
  const values = (offset: number, scale: number) =>
    tensor(Array.from({ length: channels }, (_, i) => offset + scale * Math.sin(7 * i + offset)));
  layer.setWeights([values(1, 0.5), values(0.1, 0.3), values(0.2, 0.4), values(1.5, 0.9)]);
}

describe('toOnnx on hand-built networks', () => {
  const built: MnistModel[] = [];
  afterAll(() => {
    for (const model of built) model.layersModel.dispose();
  });
  const images = () => test.images.subarray(0, 500 * 784);

  it("keras.io's Simple MNIST convnet (Conv2D, MaxPooling2D, Flatten, Dropout, Dense softmax)", async () => {
    const network = sequential({
      layers: [
        layers.inputLayer({ inputShape: [28, 28, 1] }),
        layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', ...seeded(1) }),
        layers.maxPooling2d({ poolSize: 2 }),
        layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', ...seeded(2) }),
        layers.maxPooling2d({ poolSize: 2 }),
        layers.flatten(),
        layers.dropout({ rate: 0.5 }),
        layers.dense({ units: 10, activation: 'softmax', ...seeded(3) }),
      ],
    });
    const model = wrap('convnet', network, 'image');
    built.push(model);
    await expectSameAsPredict(model, images());
  });

  it("TensorFlow's asymmetric 'same' padding, valid padding, strides, dilation, pooling, batch normalisation", async () => {
    const network = sequential({
      layers: [
        layers.inputLayer({ inputShape: [28, 28, 1] }),
        // 3×3 at stride 2 on 28: 14 outputs, padding 0 before and 1 after.
        layers.conv2d({
          filters: 8,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'relu',
          ...seeded(4),
        }),
        // 4×4 at stride 1: padding 1 before, 2 after.
        layers.conv2d({ filters: 8, kernelSize: 4, padding: 'same', activation: 'tanh', ...seeded(5) }),
        layers.batchNormalization({ name: 'norm' }),
        // 3×3 pool at stride 2 on 14: 7 outputs, padding 0 before, 1 after.
        layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        // 2×2 average at stride 2 on 7: 4 outputs, the last window half outside (averaged over what is inside).
        layers.averagePooling2d({ poolSize: 2, strides: 2, padding: 'same' }),
        layers.conv2d({ filters: 6, kernelSize: 2, dilationRate: 2, padding: 'same', ...seeded(6) }),
        layers.activation({ activation: 'sigmoid' }),
        layers.averagePooling2d({ poolSize: 2, padding: 'valid' }),
        layers.conv2d({ filters: 16, kernelSize: 2, padding: 'valid', activation: 'relu', ...seeded(7) }),
        layers.flatten(),
        layers.dropout({ rate: 0.3 }),
        layers.dense({ units: 32, activation: 'tanh', ...seeded(8) }),
        layers.batchNormalization({ name: 'dense_norm', center: false }),
        layers.dense({ units: 10, ...seeded(9) }),
        layers.activation({ activation: 'softmax' }),
      ],
    });
    randomiseBatchNormalization(network, 'norm');
    const dense = network.getLayer('dense_norm');
    dense.setWeights([
      tensor(Array.from({ length: 32 }, (_, i) => 0.5 + i / 32)),
      ...dense.getWeights().slice(1),
    ]);
    const model = wrap('padding', network, 'image');
    built.push(model);
    await expectSameAsPredict(model, images());
  });

  it('an output layer without sigmoid or softmax: probabilities from its clipped, normalised outputs', async () => {
    const network = sequential({
      layers: [
        layers.dense({ inputShape: [784], units: 64, activation: 'relu', ...seeded(12) }),
        layers.dense({ units: 10, activation: 'tanh', ...seeded(13) }),
      ],
    });
    const model = wrap('tanh', network, 'flat');
    built.push(model);
    await expectSameAsPredict(model, images());
    const props = decodeOnnx(await toOnnx(model)).metadataProps;
    expect(props).toContainEqual({
      key: 'mnist.probabilities',
      value: 'p = clip(outputs, 1e-7, 1 - 1e-7) / row sum',
    });
  });

  it('global average and max pooling, and the layers that act only in training', async () => {
    const average = sequential({
      layers: [
        layers.inputLayer({ inputShape: [28, 28, 1] }),
        layers.conv2d({ filters: 12, kernelSize: 5, strides: 2, activation: 'relu', ...seeded(14) }),
        layers.gaussianNoise({ stddev: 0.5 }),
        layers.globalAveragePooling2d({}),
        layers.gaussianDropout({ rate: 0.3 }),
        layers.alphaDropout({ rate: 0.3 }),
        layers.dense({ units: 10, activation: 'softmax', ...seeded(15) }),
      ],
    });
    const max = sequential({
      layers: [
        layers.inputLayer({ inputShape: [28, 28, 1] }),
        layers.conv2d({ filters: 12, kernelSize: 3, padding: 'same', activation: 'tanh', ...seeded(16) }),
        layers.globalMaxPooling2d({}),
        layers.dense({ units: 10, activation: 'sigmoid', ...seeded(17) }),
      ],
    });
    for (const [name, network] of [
      ['average', average],
      ['max', max],
    ] as const) {
      const model = wrap(name, network, 'image');
      built.push(model);
      await expectSameAsPredict(model, images());
    }
  });

  it('a flat model reshaped to an image, with a sigmoid output', async () => {
    const network = sequential({
      layers: [
        layers.inputLayer({ inputShape: [784] }),
        layers.reshape({ targetShape: [28, 28, 1] }),
        // 5×5 at stride 3 on 28: 10 outputs, padding 1 before and 2 after.
        layers.conv2d({
          filters: 4,
          kernelSize: 5,
          strides: 3,
          padding: 'same',
          activation: 'relu',
          ...seeded(10),
        }),
        layers.reshape({ targetShape: [400] }),
        layers.dense({ units: 10, activation: 'sigmoid', ...seeded(11) }),
      ],
    });
    const model = wrap('reshaped', network, 'flat');
    built.push(model);
    await expectSameAsPredict(model, images());
  });
});

describe('toOnnx, the cross-entropy form and the temperature', () => {
  let mlp: MnistModel;
  beforeAll(async () => {
    mlp = await loadPretrained('mlp');
  });
  afterAll(() => mlp.layersModel.dispose());
  const images = () => test.images.subarray(0, 1000 * 784);
  /** The pretrained mlp (sigmoid outputs) with its recipe's loss form set. */
  const inForm = (crossEntropy: CrossEntropyForm | undefined): MnistModel => ({
    ...mlp,
    recipe: { ...mlp.recipe, crossEntropy },
  });
  const probabilitiesMetadata = async (model: MnistModel, options?: ToOnnxOptions) =>
    decodeOnnx(await toOnnx(model, options)).metadataProps.find(
      (entry) => entry.key === 'mnist.probabilities',
    )?.value;

  it("the default 'logits' form: softmax of the sigmoid layer's logits, at the model's temperature", async () => {
    for (const temperature of [undefined, 0.4, 2.5]) {
      const model = { ...inForm(undefined), temperature };
      await expectSameAsPredict(model, images());
      expect(await probabilitiesMetadata(model)).toBe(
        `softmax(z${temperature === undefined ? '' : ` / ${temperature}`}), z the output layer's logits`,
      );
    }
  });

  it("the 'probabilities' form: the sigmoids clipped and normalised, then softmax(log p / T)", async () => {
    for (const temperature of [undefined, 0.4, 2.5]) {
      const model = { ...inForm('probabilities'), temperature };
      await expectSameAsPredict(model, images());
      expect(await probabilitiesMetadata(model)).toBe(
        temperature === undefined
          ? 'p = clip(outputs, 1e-7, 1 - 1e-7) / row sum'
          : `softmax(log(p) / ${temperature}), p = clip(outputs, 1e-7, 1 - 1e-7) / row sum`,
      );
    }
  });

  it('leaves the temperature out when asked: the probabilities predict gives at temperature 1', async () => {
    for (const crossEntropy of [undefined, 'probabilities'] as const) {
      const calibrated = withTemperature(inForm(crossEntropy), 2.5);
      const bytes = await toOnnx(calibrated, { applyTemperature: false });
      expect(decodeOnnx(bytes).metadataProps).toContainEqual({ key: 'mnist.temperature', value: '1' });
      const onnx = await runOnnx(bytes, images(), 'flat');
      const uncalibrated = await predict(inForm(crossEntropy), images());
      expect(largestDifference(onnx.probabilities, uncalibrated)).toBeLessThan(TOLERANCE);
    }
  });

  it('refuses a temperature set by hand that is not a number above 0', async () => {
    await expect(toOnnx({ ...mlp, temperature: -1 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('what toOnnx refuses', () => {
  async function refusal(
    network: LayersModel,
    kind: MnistModel['inputKind'] = 'flat',
  ): Promise<MnistModelError> {
    try {
      const error = await toOnnx(wrap('refused', network, kind)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MnistModelError);
      return error as MnistModelError;
    } finally {
      network.dispose();
    }
  }

  it('a layer it has no conversion for, naming it and what it converts', async () => {
    const error = await refusal(
      sequential({
        layers: [
          layers.dense({ inputShape: [784], units: 16, name: 'hidden' }),
          layers.leakyReLU({ name: 'leaky' }),
          layers.dense({ units: 10, activation: 'softmax' }),
        ],
      }),
    );
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe(
      "toOnnx: layer 'leaky' is a LeakyReLU, which has no ONNX conversion here; supported: Dense, Conv2D, " +
        'MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape, Activation, ' +
        'BatchNormalization, Dropout, SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout.',
    );
  });

  it('an activation it has no conversion for', async () => {
    const error = await refusal(
      sequential({
        layers: [layers.dense({ inputShape: [784], units: 10, activation: 'elu', name: 'out' })],
      }),
    );
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe(
      "toOnnx: layer 'out' uses the activation 'elu', which has no ONNX conversion here; supported: linear, relu, " +
        'sigmoid, softmax, tanh.',
    );
  });

  it('a network that is not a chain of layers', async () => {
    const { input, model } = await import('@tensorflow/tfjs-layers');
    const pixels = input({ shape: [784] });
    const a = layers.dense({ units: 10, name: 'a' }).apply(pixels);
    const b = layers.dense({ units: 10, name: 'b' }).apply(pixels);
    const sum = layers.add({ name: 'sum' }).apply([a, b] as never);
    const error = await refusal(model({ inputs: pixels, outputs: sum as never }));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(
      /^toOnnx: layer 'b' \(Dense\) does not simply take the previous layer's output/,
    );
  });

  it('a network that does not take MNIST images or give 10 outputs', async () => {
    const error = await refusal(sequential({ layers: [layers.dense({ inputShape: [784], units: 3 })] }));
    expect(error.code).toBe('WRONG_ARCHITECTURE');
    expect(error.message).toBe('toOnnx: the output must have shape [null,10]; the network has [null,3].');
  });
});
