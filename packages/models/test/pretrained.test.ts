// The pretrained models shipped in the package: each loads offline and scores its manifest accuracy on the full
// 10,000-image test set; the weights load from a browser bundle (code-split, no bundler configuration) in a real
// Chromium and predict what Node predicts.
import { readFileSync } from 'node:fs';
import type { MnistData } from '@mnist/data';
import { type BrowserSite, findChromium, skipUnless } from '@mnist/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createModel,
  evaluate,
  initBackend,
  loadPretrained,
  MnistModelError,
  type ModelName,
  predict,
  pretrainedManifest,
} from '../src/node.js';
import { modelJson as cnnJson } from '../src/generated/pretrained/cnn.js';
import { modelJson as mlpJson } from '../src/generated/pretrained/mlp.js';
import { modelJson as simpleJson } from '../src/generated/pretrained/simple.js';
import { startModelsSite } from './support/browser.js';
import { mnist } from './support/data.js';

const NAMES: ModelName[] = ['simple', 'mlp', 'cnn'];
/** The floors for full-size training (Keras reaches 92.5% and 97.0% with the tutorial recipe). */
const FLOORS: Record<ModelName, number> = { simple: 0.92, mlp: 0.968, cnn: 0.993 };

let data: MnistData;
let backend: string;

beforeAll(async () => {
  backend = await initBackend('auto', { log: false });
  data = await mnist();
});

describe('pretrainedManifest', () => {
  it('lists all three models, trained on the 60,000 training images less those held out, with the recorded recipe', () => {
    expect(Object.keys(pretrainedManifest)).toEqual(NAMES);
    for (const name of NAMES) {
      const entry = pretrainedManifest[name];
      expect(entry?.name).toBe(name);
      // The cnn holds the last 5,000 out for its temperature; the tutorial's models train on all 60,000.
      expect(entry?.trainImages).toBe(60_000 - (entry?.calibration?.heldOutImages ?? 0));
      expect(entry?.testImages).toBe(10_000);
      expect(entry?.command).toMatch(/^pnpm --filter @mnist\/models train:pretrained/);
      expect(entry?.epochs).toHaveLength(entry?.recipe.epochs ?? -1);
      expect(entry?.testAccuracy).toBeGreaterThanOrEqual(FLOORS[name]);
    }
    // The tutorial's models keep the tutorial's recipe exactly.
    for (const name of ['simple', 'mlp'] as const) {
      expect(pretrainedManifest[name]?.recipe).toMatchObject({
        learningRate: 0.001,
        batchSize: 32,
        epochs: 5,
      });
    }
  });

  it('records parameter counts and weight sizes that match the models', () => {
    for (const name of NAMES) {
      const model = createModel(name, { seed: 1 });
      const params = model.layersModel.countParams();
      model.layersModel.dispose();
      expect(pretrainedManifest[name]?.params).toBe(params);
      const bytesPerWeight = pretrainedManifest[name]?.weightStorage === 'float16' ? 2 : 4;
      expect(pretrainedManifest[name]?.weightBytes).toBe(params * bytesPerWeight);
    }
    expect(pretrainedManifest.cnn?.weightBytes).toBeLessThan(1_000_000);
    // The cnn is in the web page's first download: half precision, and held out images give it a temperature.
    expect(pretrainedManifest.cnn?.weightStorage).toBe('float16');
    expect(pretrainedManifest.cnn?.calibration?.heldOutImages).toBe(5_000);
  });

  it('ships exactly the topology createModel(name, { seed }) builds with the recorded seed', () => {
    const shipped: Record<ModelName, string> = { simple: simpleJson, mlp: mlpJson, cnn: cnnJson };
    for (const name of NAMES) {
      const model = createModel(name, { seed: pretrainedManifest[name]?.seed ?? -1 });
      const topology = model.layersModel.toJSON(null, false);
      model.layersModel.dispose();
      expect(JSON.parse(shipped[name]).modelTopology).toEqual(topology);
    }
  });
});

describe('loadPretrained', () => {
  it("scores the READMEs' losses for the shipped mlp in both of Keras's forms", async () => {
    const model = await loadPretrained('mlp');
    const [logits, probabilities] = [
      await evaluate(model, data.test),
      await evaluate(model, data.test, { crossEntropy: 'probabilities' }),
    ];
    model.layersModel.dispose();
    const stated = (path: string) => {
      const text = readFileSync(new URL(path, import.meta.url), 'utf8').replace(/\s+/g, ' ');
      return /test loss of ([\d.]+) in the (?:first|`logits` form) and ([\d.]+) in the/.exec(text)?.slice(1);
    };
    for (const path of ['../../../README.md', '../README.md']) {
      expect(stated(path), path).toEqual([logits.loss.toFixed(4), probabilities.loss.toFixed(4)]);
    }
  });

  for (const name of NAMES) {
    it(`${name} reaches its manifest accuracy (within 0.1 points) on the 10,000 test images`, {
      timeout: 180_000,
    }, async () => {
      const entry = pretrainedManifest[name];
      const model = await loadPretrained(name);
      expect(model.name).toBe(name);
      expect(model.inputKind).toBe(name === 'cnn' ? 'image' : 'flat');
      const result = await evaluate(model, data.test);
      model.layersModel.dispose();
      expect(data.test.count).toBe(10_000);
      expect(Math.abs(result.accuracy - (entry?.testAccuracy ?? 0))).toBeLessThanOrEqual(0.001);
      expect(result.accuracy).toBeGreaterThanOrEqual(FLOORS[name] - 0.001);
    });
  }

  it('rejects an unknown name with a clear error', async () => {
    const error = await loadPretrained('lenet' as ModelName).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MnistModelError);
    expect((error as MnistModelError).code).toBe('UNKNOWN_MODEL');
    expect((error as Error).message).toMatch(/No pretrained weights for 'lenet'\. Shipped: simple, mlp, cnn/);
  });
});

describe.skipIf(skipUnless(findChromium()))('loadPretrained in a browser bundle', () => {
  let site: BrowserSite;
  let chunkFiles: string[];

  beforeAll(async () => {
    // esbuild with nothing but code splitting on: each model's weights must land in a chunk of its own.
    const started = await startModelsSite({ splitting: true });
    chunkFiles = Object.keys(started.bundle.files);
    site = started;
  }, 120_000);

  afterAll(async () => {
    await site?.close();
  });

  it('splits the weights into chunks loaded on demand', () => {
    // The entry plus at least one chunk per model (esbuild names chunks after their module).
    expect(chunkFiles).toContain('/models.js');
    for (const name of NAMES) expect(chunkFiles.some((file) => file.startsWith(`/${name}-`))).toBe(true);
  });

  it('loads the pretrained cnn offline in Chromium (cpu backend) and predicts what Node predicts', {
    timeout: 120_000,
  }, async () => {
    const images = data.test.take(32);
    const model = await loadPretrained('cnn');
    const expected = await predict(model, images);
    model.layersModel.dispose();
    const requests: string[] = [];
    const page = await site.openModulePage('/', {
      beforeLoad: (p) => p.on('request', (request) => requests.push(new URL(request.url()).pathname)),
    });
    const loadedBefore = [...requests];
    const result = await page.evaluate(async (pixels) => {
      type Models = typeof import('../src/browser.js');
      const m = (window as unknown as { models: Models }).models;
      await m.initBackend('cpu', { log: false });
      const cnn = await m.loadPretrained('cnn');
      return Array.from(await m.predict(cnn, Uint8Array.from(pixels)));
    }, Array.from(images.images));
    await page.close();
    // The cnn's weights chunk was fetched only when asked for, and nothing else than our server was contacted.
    expect(loadedBefore.some((path) => path.startsWith('/cnn-'))).toBe(false);
    expect(requests.some((path) => path.startsWith('/cnn-'))).toBe(true);
    expect(result).toHaveLength(expected.length);
    for (const [i, p] of result.entries()) expect(p).toBeCloseTo(expected[i] as number, 4);
    expect(backend).toBeDefined();
  });
});
