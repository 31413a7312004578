// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeYourModel, type YourModel } from './record';
import { YourModelCard } from './YourModelCard';

afterEach(cleanup);

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

  it('offers use, download and forget once there is one', () => {
    const onUse = vi.fn();
    const onForget = vi.fn();
    render(
      <YourModelCard model={trained} inUse={false} onUse={onUse} onForget={onForget} onLoad={vi.fn()} />,
    );
    fireEvent.click(screen.getByTestId('use-trained'));
    fireEvent.click(screen.getByTestId('forget-model'));
    expect(onUse).toHaveBeenCalled();
    expect(onForget).toHaveBeenCalled();
    cleanup();
    render(<YourModelCard model={trained} inUse onUse={onUse} onForget={onForget} onLoad={vi.fn()} />);
    expect((screen.getByTestId('use-trained') as HTMLButtonElement).disabled).toBe(true);
  });

  it('explains what is wrong with picked files, and hands good ones over', async () => {
    const onLoad = vi.fn(async (_model: YourModel) => undefined);
    render(
      <YourModelCard model={undefined} inUse={false} onUse={vi.fn()} onForget={vi.fn()} onLoad={onLoad} />,
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
});
