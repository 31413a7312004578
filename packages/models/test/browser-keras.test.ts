// The .keras reader and writer in a real Chromium, from the browser entry bundled for the browser platform (which
// fails on any Node built-in): a Keras-made file loads by URL and from bytes (a file drop), predicts what Node
// predicts, and a file written in the page loads in Node as the same model. And h5wasm, about 4 MB, stays out of
// the page's first download: bundled with code splitting, it is a chunk of its own, fetched only when a .keras
// file is read or written.
import { join } from 'node:path';
import { type BrowserSite, bundleForBrowser, findChromium, skipUnless } from '@mnist/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, loadModel, type MnistModel, predict } from '../src/node.js';
import { packageDir, startModelsSite } from './support/browser.js';
import { mnist } from './support/data.js';
import { KERAS_FIXTURES } from './support/keras.js';

const IMAGES = 32;

describe('bundling', () => {
  it('leaves the .keras reader, writer, fflate and h5wasm out of what loads with the page', async () => {
    const bundle = await bundleForBrowser(join(packageDir, 'src/browser.ts'), { splitting: true });
    const outputs = bundle.metafile.outputs;
    const holding = (input: RegExp) =>
      Object.entries(outputs)
        .filter(([, out]) => Object.keys(out.inputs).some((path) => input.test(path)))
        .map(([name]) => name);
    const entry = Object.entries(outputs).find(([, out]) => out.entryPoint?.endsWith('src/browser.ts'))?.[0];
    expect(entry).toBeDefined();
    // What loads with the page: the entry and everything it imports statically, transitively.
    const loaded = new Set<string>();
    const visit = (name: string) => {
      if (loaded.has(name)) return;
      loaded.add(name);
      for (const i of outputs[name]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
    };
    visit(entry as string);
    const h5Chunks = holding(/node_modules\/.*h5wasm\//);
    expect(h5Chunks).toHaveLength(1);
    for (const lazy of [
      ...h5Chunks,
      ...holding(/node_modules\/.*fflate\//),
      ...holding(/src\/io\/keras\/(read|write)\.ts$/),
    ]) {
      expect(loaded.has(lazy), `${lazy} loads with the page`).toBe(false);
    }
    const h5Bytes = outputs[h5Chunks[0] as string]?.bytes ?? 0;
    expect(h5Bytes).toBeGreaterThan(3_000_000);
  });
});

let site: BrowserSite;
let images: number[];
let nodeConvnet: MnistModel;

describe.skipIf(skipUnless(findChromium()))('.keras files in Chromium', () => {
  beforeAll(async () => {
    await initBackend('wasm', { log: false });
    images = Array.from((await mnist()).test.take(IMAGES).images);
    nodeConvnet = await loadModel(`${KERAS_FIXTURES}from-keras/convnet.keras`);
    site = await startModelsSite({ mounts: { '/keras/': KERAS_FIXTURES } });
  }, 180_000);

  afterAll(async () => {
    await site?.close();
    nodeConvnet?.layersModel.dispose();
  });

  it('loads a Keras-made file by URL and from bytes, predicts as Node does, and writes one Node loads', async () => {
    const page = await site.openModulePage();
    const result = await page.evaluate(
      async ({ images }) => {
        type Models = typeof import('../src/browser.js');
        const m = (window as unknown as { models: Models }).models;
        await m.initBackend('wasm', { wasmPaths: '/wasm/', log: false });
        const byUrl = await m.loadModel('keras/from-keras/convnet.keras');
        const bytes = new Uint8Array(await (await fetch('/keras/from-keras/convnet.keras')).arrayBuffer());
        const dropped = await m.loadModel({ keras: bytes, name: 'convnet.keras' });
        const pixels = Uint8Array.from(images);
        const [a, b] = [await m.predict(byUrl, pixels), await m.predict(dropped, pixels)];
        const written = await m.modelToKeras(dropped);
        const refused = await m
          .loadModel({ keras: new TextEncoder().encode('not a zip'), name: 'x.keras' })
          .then(
            () => '',
            (e: { code: string }) => e.code,
          );
        return { a: Array.from(a), b: Array.from(b), written: Array.from(written), refused };
      },
      { images },
    );
    const expected = await predict(nodeConvnet, Uint8Array.from(images));
    for (const [i, p] of result.a.entries()) expect(p).toBeCloseTo(expected[i] as number, 5);
    expect(result.b).toEqual(result.a);
    expect(result.refused).toBe('CORRUPT_FILE');
    const fromPage = await loadModel({ keras: Uint8Array.from(result.written) });
    const again = await predict(fromPage, Uint8Array.from(images));
    for (const [i, p] of Array.from(again).entries()) expect(p).toBeCloseTo(expected[i] as number, 5);
    fromPage.layersModel.dispose();
    await page.close();
  });
});
