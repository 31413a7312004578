// @vitest-environment happy-dom
// The training view rendered from reducer states (the worker's messages), as the page renders it.
import type { EpochLog } from '@mnist/models';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FromWorker } from './protocol';
import { defaultSettings } from './settings';
import { INITIAL_TRAINING, type TrainingState, trainingReducer } from './state';
import { engineSentence, runtimeSentence, TrainingPanel } from './TrainingPanel';

afterEach(cleanup);

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const settings = { ...defaultSettings('simple'), epochs: 2, trainImages: 2000 };
const runtime = { backend: 'wasm', simd: true, isolated: false };
const epoch = (n: number): EpochLog => ({
  epoch: n,
  epochs: 2,
  loss: 0.5 / n,
  accuracy: 0.8 + n / 100,
  seconds: 1.25,
  samplesPerSecond: 1600,
  learningRate: 0.001,
});

/** A worker message without its job number (the helper adds it). */
type Message = FromWorker extends infer M ? (M extends FromWorker ? Omit<M, 'job'> : never) : never;

function stateAfter(messages: Message[]): TrainingState {
  let s = trainingReducer(INITIAL_TRAINING, { type: 'start', job: 1, settings, at: 0 });
  for (const m of messages)
    s = trainingReducer(s, { type: 'worker', message: { ...m, job: 1 } as FromWorker, at: 10 });
  return s;
}

function panel(state: TrainingState) {
  const start = vi.fn();
  const stop = vi.fn();
  render(<TrainingPanel training={{ state, start, stop }} classNames={DIGITS} />);
  return { start, stop };
}

describe('TrainingPanel', () => {
  it('starts with the model’s recipe and sends the form’s settings on Train', () => {
    const { start } = panel(INITIAL_TRAINING);
    const models = within(screen.getByTestId('train-model'));
    expect((models.getByDisplayValue('simple') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('train-epochs') as HTMLInputElement).value).toBe('5');
    expect((screen.getByTestId('train-stop') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(models.getByDisplayValue('mlp'));
    fireEvent.change(screen.getByTestId('train-epochs'), { target: { value: '1' } });
    fireEvent.change(screen.getByTestId('train-images'), { target: { value: '2000' } });
    fireEvent.click(screen.getByTestId('train-start'));
    expect(start).toHaveBeenCalledWith({ ...defaultSettings('mlp'), epochs: 1, trainImages: 2000 });
  });

  it('refuses a value out of range, saying why, and does not start', () => {
    const { start } = panel(INITIAL_TRAINING);
    fireEvent.change(screen.getByTestId('train-batchSize'), { target: { value: '0' } });
    expect(screen.getByText('Choose between 1 and 4,096.')).toBeTruthy();
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('train-start'));
    expect(start).not.toHaveBeenCalled();
  });

  it('shows the download in bytes, then curves, one row per finished epoch and the ETA while training', () => {
    panel(stateAfter([{ type: 'download', progress: { file: 'a.gz', bytesDone: 2e6, bytesTotal: 4e6 } }]));
    expect(screen.getByText(/Downloading MNIST \(only the first time\): 2\.0 MB of 4\.0 MB/)).toBeTruthy();
    cleanup();
    const { stop } = panel(
      stateAfter([
        { type: 'started', runtime, batchesPerEpoch: 63 },
        {
          type: 'batch',
          log: {
            epoch: 1,
            batch: 63,
            batches: 63,
            samplesSeen: 2000,
            loss: 0.6,
            accuracy: 0.81,
            samplesPerSecond: 1600,
          },
        },
        { type: 'epoch', log: epoch(1) },
        {
          type: 'batch',
          log: {
            epoch: 2,
            batch: 10,
            batches: 63,
            samplesSeen: 320,
            loss: 0.3,
            accuracy: 0.9,
            samplesPerSecond: 1600,
          },
        },
      ]),
    );
    expect(screen.getAllByTestId('train-epoch')).toHaveLength(1);
    expect(
      within(screen.getAllByTestId('train-epoch')[0] as HTMLElement)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['0.5000', '81.00%', '1.3', '1,600']);
    expect(screen.getByText(/Epoch 2 of 2/)).toBeTruthy();
    expect(screen.getByText(/2,320 \/ 4,000 samples/)).toBeTruthy();
    expect(screen.getAllByRole('img', { name: /Loss|Accuracy/ })).toHaveLength(2);
    expect(screen.getByTestId('train-runtime').textContent).toBe(
      'Training in a background thread · WebAssembly with SIMD.',
    );
    fireEvent.click(screen.getByTestId('train-stop'));
    expect(stop).toHaveBeenCalled();
  });

  it('shows the test accuracy as NN.NN% with the heatmap and report, and says when it was stopped', () => {
    const labels = Uint8Array.from({ length: 100 }, (_, i) => i % 10);
    const predicted = labels.map((l, i) => (i < 3 ? (l + 1) % 10 : l));
    panel(
      stateAfter([
        { type: 'started', runtime, batchesPerEpoch: 63 },
        { type: 'epoch', log: epoch(1) },
        {
          type: 'done',
          outcome: {
            stopped: true,
            history: [epoch(1)],
            samplesTrained: 2500,
            seconds: 1.6,
            engine: { kind: 'wasm', threads: 1, simd: true },
            modelJson: {} as never,
            weights: new ArrayBuffer(0),
            test: { labels, predicted, confidence: new Float32Array(100) },
          },
        },
      ]),
    );
    expect(screen.getByTestId('train-result').textContent).toBe('97.00%');
    expect(screen.getByText(/stopped after 2,500 samples/)).toBeTruthy();
    expect(screen.getByTestId('heatmap')).toBeTruthy();
    expect(screen.getByTestId('class-report')).toBeTruthy();
    expect(screen.getByText(/0 read as 1 \(1\)/)).toBeTruthy();
  });

  it('words a failure for the visitor, offers Train again, keeps the detail on demand', () => {
    panel(
      stateAfter([
        {
          type: 'failed',
          failure: {
            kind: 'download',
            message: 'The MNIST images could not be downloaded.',
            retry: true,
            detail: 'net::ERR',
          },
        },
      ]),
    );
    expect(screen.getByRole('alert').textContent).toMatch(/could not be downloaded/);
    expect(screen.getByTestId('train-start').textContent).toBe('Train again');
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByText('net::ERR').closest('details')).toBeTruthy();
  });

  it('says how the worker runs, and when WebAssembly SIMD or WebAssembly itself is missing', () => {
    expect(runtimeSentence({ backend: 'wasm', simd: true, isolated: true })).toBe(
      'Training in a background thread · WebAssembly with SIMD · threads available.',
    );
    expect(runtimeSentence({ backend: 'wasm', simd: false, isolated: false })).toMatch(
      /without SIMD \(this browser lacks it: slower, same results\)/,
    );
    expect(runtimeSentence({ backend: 'cpu', simd: false, isolated: false })).toMatch(
      /plain JavaScript: this browser cannot run WebAssembly/,
    );
  });

  it('says what trained the model once the run is over', () => {
    expect(engineSentence({ kind: 'wasm', threads: 2, simd: true })).toBe(
      'Trained by the WebAssembly engine of @mnist/models on 2 threads.',
    );
    expect(engineSentence({ kind: 'tfjs', backend: 'cpu' })).toBe('Trained with tfjs on its cpu backend.');
  });
});
