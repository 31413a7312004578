// The `cnn` model: its architecture and costs as documented, and that it trains on wasm.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DRAWING_AUGMENTATION, type EpochLog, initBackend, type MnistModel, train } from '../node.js';
import { CNN_LAYERS, cnnCostSummary, cnnLayerCosts, cnnRecipe, createCnn } from './cnn.js';
import { mnist } from '../../test/support/data.js';
import { SMALL_CONV_LAYERS } from '../../test/support/engine.js';

/** The layers that compute (Sequential lists the explicit input layer too). */
function computeLayers(model: ReturnType<typeof createCnn>) {
  return model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
}

beforeAll(async () => {
  expect(await initBackend('wasm', { log: false })).toBe('wasm');
});

describe('cnn architecture', () => {
  it('has the documented layers, output shapes and parameter counts', () => {
    const model = createCnn({ seed: 1 });
    expect([model.layers[0]?.getClassName(), model.layers[0]?.name]).toEqual(['InputLayer', 'image']);
    const table = computeLayers(model).map((layer) => ({
      name: layer.name,
      className: layer.getClassName(),
      outputShape: layer.outputShape,
      params: layer.countParams(),
    }));
    expect(table).toEqual([
      { name: 'conv1', className: 'Conv2D', outputShape: [null, 28, 28, 32], params: 3 * 3 * 1 * 32 + 32 },
      { name: 'conv2', className: 'Conv2D', outputShape: [null, 14, 14, 32], params: 5 * 5 * 32 * 32 + 32 },
      { name: 'conv3', className: 'Conv2D', outputShape: [null, 14, 14, 64], params: 3 * 3 * 32 * 64 + 64 },
      { name: 'conv4', className: 'Conv2D', outputShape: [null, 7, 7, 64], params: 3 * 3 * 64 * 64 + 64 },
      { name: 'conv5', className: 'Conv2D', outputShape: [null, 5, 5, 64], params: 3 * 3 * 64 * 64 + 64 },
      { name: 'flatten', className: 'Flatten', outputShape: [null, 1600], params: 0 },
      { name: 'output', className: 'Dense', outputShape: [null, 10], params: 1600 * 10 + 10 },
    ]);
    expect(model.countParams()).toBe(134_314);
    expect(model.inputs[0]?.shape).toEqual([null, 28, 28, 1]);
    model.dispose();
  });

  it('computes the same shapes and parameters by arithmetic as tfjs builds', () => {
    const model = createCnn({ seed: 1 });
    const costs = cnnLayerCosts();
    expect(costs.map((c) => c.name)).toEqual(computeLayers(model).map((l) => l.name));
    costs.forEach((cost, i) => {
      const layer = computeLayers(model)[i];
      expect([null, ...cost.outputShape]).toEqual(layer?.outputShape);
      expect(cost.params).toBe(layer?.countParams());
    });
    expect(cnnCostSummary().params).toBe(model.countParams());
    expect(cnnCostSummary().weightBytes).toBe(model.countParams() * 4);
    model.dispose();
  });

  it('counts multiply-accumulates and FLOPs per image from the built layers', () => {
    // Independent count from the built tfjs model (kernel shapes, output shapes): each conv output value takes kh·kw·cin MACs, each dense
    // output one per input.
    const model = createCnn({ seed: 1 });
    let macs = 0;
    let flops = 0;
    for (const layer of computeLayers(model)) {
      const out = (layer.outputShape as number[]).slice(1);
      const outputs = out.reduce((a, b) => a * b, 1);
      if (layer.getClassName() === 'Conv2D') {
        const [kh, kw, cin] = (layer.getWeights()[0] as tf.Tensor).shape as [number, number, number, number];
        macs += outputs * kh * kw * cin;
        flops += 2 * outputs * kh * kw * cin + 2 * outputs; // + bias, ReLU
      }
      if (layer.getClassName() === 'Dense') {
        const inputs = layer.getWeights()[0]?.shape[0] as number;
        macs += outputs * inputs;
        flops += 2 * outputs * inputs + outputs + 3 * outputs; // + bias, softmax
      }
    }
    expect(cnnCostSummary()).toMatchObject({ macsPerImage: macs, flopsPerImage: flops });
    expect(macs).toBe(11_600_000);
    expect(flops).toBe(23_297_320);
    // A three-convolution stack: 72,266 parameters, about 4 MFLOP an image.
    expect(cnnCostSummary(SMALL_CONV_LAYERS)).toMatchObject({
      params: 72_266,
      macsPerImage: 1_997_568,
      flopsPerImage: 4_017_192,
    });
    model.dispose();
  });

  it('keeps the layer list and recipe consistent', () => {
    expect(CNN_LAYERS.filter((l) => l.kind === 'conv2d')).toHaveLength(5);
    expect(cnnRecipe).toMatchObject({ optimizer: 'adam', loss: 'sparse-categorical-crossentropy' });
    expect(cnnRecipe.augmentation).toEqual(DRAWING_AUGMENTATION);
    expect(cnnRecipe.learningRateDecay).toBeGreaterThan(0);
    expect(cnnRecipe.learningRateDecay).toBeLessThan(1);
  });

  it('gives identical initial weights for the same seed and different ones for another', () => {
    const weights = (seed: number) => {
      const model = createCnn({ seed });
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return values;
    };
    expect(weights(7)).toEqual(weights(7));
    expect(weights(7)[0]).not.toEqual(weights(8)[0]);
  });
});

describe('cnn training on wasm', () => {
  it('lowers the loss on a subset of real MNIST and beats chance on held-out images', {
    timeout: 240_000,
  }, async () => {
    const data = await mnist();
    const model: MnistModel = {
      name: 'cnn',
      layersModel: createCnn({ seed: 3 }),
      inputKind: 'image',
      recipe: cnnRecipe,
      seed: 3,
    };
    const tensorsBefore = tf.memory().numTensors;
    const epochs: EpochLog[] = [];
    const result = await train(model, data.train.take(1024), {
      epochs: 3,
      seed: 3,
      validationData: data.test.take(500),
      onEpochEnd: (log) => {
        epochs.push(log);
      },
    });
    expect(result.aborted).toBe(false);
    expect(epochs).toHaveLength(3);
    const [first, , last] = epochs as [EpochLog, EpochLog, EpochLog];
    expect(last.loss).toBeLessThan(first.loss * 0.8);
    expect(last.learningRate).toBeCloseTo(
      cnnRecipe.learningRate * (cnnRecipe.learningRateDecay ?? 1) ** 2,
      10,
    );
    expect(last.valAccuracy).toBeGreaterThan(0.7);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    model.layersModel.dispose();
  });
});
