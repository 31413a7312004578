// @vitest-environment happy-dom
import { loadModel } from '@mnist/models/browser';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { kerasBytes } from '../../test/support/keras';
import { InferenceEngine } from '../inference/engine';
import { describeYourModel, type YourModel } from './record';
import { YourModelCard } from './YourModelCard';

afterEach(cleanup);

/** The page's engine on tfjs's cpu backend: the card's .keras reading and downloads go through it. */
const engine = new InferenceEngine();
beforeAll(() => engine.useBackend('cpu'));
const readKeras = (keras: Uint8Array, fileName: string) => engine.readKeras(keras, fileName);

const trained: YourModel = {
  modelJson: { modelTopology: {}, weightsManifest: [{ paths: ['weights.bin'], weights: [] }] } as never,
  weights: new ArrayBuffer(8),
  origin: 'trained',
  name: 'simple',
  savedAt: '2026-01-01T00:00:00.000Z',
  testAccuracy: 0.8912,
  settings: { model: 'simple', epochs: 1, batchSize: 32, learningRate: 0.001, seed: 42, trainImages: 2000 },
  epochsDone: 1,
};

describe('your model', () => {
  it('is described in one line', () => {
    expect(describeYourModel(trained)).toBe(
      'simple trained here on 2,000 images, 1 epoch · 89.12% on the test set',
    );
    expect(describeYourModel({ ...trained, stopped: true, epochsDone: 0 })).toMatch(
      /0 epochs \(stopped early\)/,
    );
    expect(
      describeYourModel({ ...trained, origin: 'loaded', fileName: 'model.json', testAccuracy: undefined }),
    ).toBe('simple, loaded from model.json');
  });

  it('offers use, download and forget once there is one (loaded then)', async () => {
    const onUse = vi.fn();
    const onForget = vi.fn();
    render(
      <YourModelCard
        model={trained}
        inUse={false}
        onUse={onUse}
        onForget={onForget}
        onLoad={vi.fn()}
        readKeras={readKeras}
        exportModel={vi.fn()}
      />,
    );
    fireEvent.click(await screen.findByTestId('use-trained'));
    fireEvent.click(screen.getByTestId('forget-model'));
    for (const id of ['download-model', 'download-keras', 'download-onnx']) {
      expect(screen.getByTestId(id).closest('fieldset')?.querySelector('legend')?.textContent).toBe(
        'Download your model',
      );
    }
    expect(onUse).toHaveBeenCalled();
    expect(onForget).toHaveBeenCalled();
    cleanup();
    render(
      <YourModelCard
        model={trained}
        inUse
        onUse={onUse}
        onForget={onForget}
        onLoad={vi.fn()}
        readKeras={readKeras}
        exportModel={vi.fn()}
      />,
    );
    expect(((await screen.findByTestId('use-trained')) as HTMLButtonElement).disabled).toBe(true);
  });

  it('explains what is wrong with picked files, and hands good ones over', async () => {
    const onLoad = vi.fn(async (_model: YourModel) => undefined);
    render(
      <YourModelCard
        model={undefined}
        inUse={false}
        onUse={vi.fn()}
        onForget={vi.fn()}
        onLoad={onLoad}
        readKeras={readKeras}
        exportModel={vi.fn()}
      />,
    );
    expect(screen.getByText(/None yet/)).toBeTruthy();
    const input = screen.getByTestId('model-files') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['x'], 'weights.bin')] } });
    await waitFor(() => expect(screen.getByTestId('model-load-error').textContent).toMatch(/No model\.json/));
    expect(onLoad).not.toHaveBeenCalled();

    const json = JSON.stringify({
      modelTopology: {},
      weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
      userDefinedMetadata: { mnist: { name: 'mlp' } },
    });
    fireEvent.change(input, {
      target: { files: [new File([json], 'model.json'), new File([new Uint8Array(4)], 'weights.bin')] },
    });
    await waitFor(() => expect(onLoad).toHaveBeenCalledTimes(1));
    expect(onLoad.mock.calls[0]?.[0]).toMatchObject({
      origin: 'loaded',
      name: 'mlp',
      fileName: 'model.json',
    });
  });

  it('reads a dropped .keras file with @mnist/models; a damaged one gets the library’s message', async () => {
    const onLoad = vi.fn(async (_model: YourModel) => undefined);
    render(
      <YourModelCard
        model={undefined}
        inUse={false}
        onUse={vi.fn()}
        onForget={vi.fn()}
        onLoad={onLoad}
        readKeras={readKeras}
        exportModel={vi.fn()}
      />,
    );
    const bytes = await kerasBytes('from-keras/mlp.keras');
    const drop = (file: File) =>
      fireEvent.drop(screen.getByTestId('model-drop'), { dataTransfer: { files: [file] } });
    drop(new File([bytes.subarray(0, 5000)], 'mlp.keras'));
    await waitFor(() =>
      expect(screen.getByTestId('model-load-error').textContent).toMatch(
        /^That model could not be loaded\. .*mlp\.keras/,
      ),
    );
    expect(onLoad).not.toHaveBeenCalled();

    drop(new File([bytes], 'mlp.keras'));
    await waitFor(() => expect(onLoad).toHaveBeenCalledTimes(1));
    const adopted = onLoad.mock.calls[0]?.[0] as YourModel;
    expect(adopted).toMatchObject({ origin: 'loaded', name: 'mlp', fileName: 'mlp.keras' });
    expect(screen.queryByTestId('model-load-error')).toBeNull();
    expect(describeYourModel(adopted)).toBe('mlp, loaded from mlp.keras');
    const fromPair = await loadModel({ modelJson: adopted.modelJson, weights: adopted.weights });
    const fromKeras = await loadModel({ keras: bytes });
    expect(fromPair.layersModel.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      fromKeras.layersModel.getWeights().map((w) => Array.from(w.dataSync())),
    );
    fromPair.layersModel.dispose();
    fromKeras.layersModel.dispose();
  });

  it('downloads the model for Keras and as ONNX under its name, and says why when a format cannot hold it', async () => {
    const read = await engine.readKeras(
      await kerasBytes('from-keras/layer_kinds.keras'),
      'layer_kinds.keras',
    );
    const model: YourModel = { ...read, origin: 'loaded', savedAt: '2026-01-01T00:00:00.000Z' };
    const exportModel = (format: 'keras' | 'onnx') =>
      engine.exportModel({ modelJson: read.modelJson, weights: read.weights }, format);
    const saved: { name: string; blob: Blob }[] = [];
    const created = vi.spyOn(URL, 'createObjectURL');
    // What saveBlob hands the browser: the blob's URL, then a click on an <a download>.
    const onClick = (e: Event) => {
      const a = e.target as HTMLAnchorElement;
      const blob = created.mock.calls.at(-1)?.[0];
      if (a.download && blob instanceof Blob) saved.push({ name: a.download, blob });
    };
    document.addEventListener('click', onClick);
    try {
      render(
        <YourModelCard
          model={model}
          inUse
          onUse={vi.fn()}
          onForget={vi.fn()}
          onLoad={vi.fn()}
          readKeras={readKeras}
          exportModel={exportModel}
        />,
      );
      fireEvent.click(await screen.findByTestId('download-keras'));
      expect(screen.getByTestId('download-keras').textContent).toBe('Preparing…');
      await waitFor(() => expect(saved).toHaveLength(1));
      expect(saved[0]?.name).toBe('mnist-layer_kinds.keras');
      const back = await loadModel({
        keras: new Uint8Array(await (saved[0] as { blob: Blob }).blob.arrayBuffer()),
      });
      expect(back.name).toBe('layer_kinds');
      back.layersModel.dispose();

      // This model has a ZeroPadding2D layer: ONNX export refuses it by name, and the page says so.
      fireEvent.click(screen.getByTestId('download-onnx'));
      await waitFor(() =>
        expect(screen.getByTestId('model-export-error').textContent).toMatch(
          /^Download as ONNX did not work\. .*'zero_padding2d' is a ZeroPadding2D, which has no ONNX conversion/,
        ),
      );
      expect(saved).toHaveLength(1);
      expect((screen.getByTestId('download-onnx') as HTMLButtonElement).disabled).toBe(false);
    } finally {
      document.removeEventListener('click', onClick);
      created.mockRestore();
    }
  });
});
