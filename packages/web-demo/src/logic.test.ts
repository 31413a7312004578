import { describe, expect, it } from 'vitest';
import { topLabels } from './explorer/evaluate';
import { reliabilityDiagram } from '@mnist/metrics';
import { reliabilityBars } from './explorer/calibration';
import { CALIBRATION_BINS, summarise } from './explorer/summary';
import { selectIndices } from './explorer/TestSetExplorer';
import { appendTiming, median, summariseTimings, TIMING_WINDOW } from './inference/timing';
import { PRETRAINED } from './inference/names';
import { DEFAULT_SETTINGS, parseSettings, storeChoice, withChoice } from './settings';

describe('parseSettings', () => {
  it('reads model, backend and explorer size from the query string', () => {
    expect(parseSettings('?model=mlp&backend=cpu&n=250')).toEqual({
      model: 'mlp',
      backend: 'cpu',
      explorerSize: 250,
    });
  });

  it('falls back to the defaults for anything unknown or out of range', () => {
    expect(parseSettings('')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('?model=resnet&backend=webgpu&n=0')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('?n=10001').explorerSize).toBe(10000);
    expect(parseSettings('?n=2.5').explorerSize).toBe(10000);
  });

  it('starts on the most accurate pretrained model, listed from @mnist/models best first', () => {
    expect(DEFAULT_SETTINGS.model).toBe('cnn');
    expect([...PRETRAINED]).toEqual(['cnn', 'mlp', 'simple']);
  });

  it('takes what the URL does not say from the last visit, and writes the choice back into the URL', () => {
    const stored = storeChoice({ model: 'yours', backend: 'cpu' });
    expect(parseSettings('', stored)).toMatchObject({ model: 'yours', backend: 'cpu' });
    expect(parseSettings('?model=simple', stored)).toMatchObject({ model: 'simple', backend: 'cpu' });
    expect(parseSettings('', '{"model":"resnet","backend":7}')).toMatchObject(DEFAULT_SETTINGS);
    expect(parseSettings('', 'not json')).toEqual(DEFAULT_SETTINGS);
    expect(withChoice('?n=500&model=cnn', { model: 'mlp', backend: 'webgl' })).toBe(
      '?n=500&model=mlp&backend=webgl',
    );
  });
});

describe('timings', () => {
  it('takes the median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('leaves the warm-up call out of the median once there are others', () => {
    expect(summariseTimings([])).toBeUndefined();
    expect(summariseTimings([50])).toEqual({ lastMs: 50, medianMs: 50, count: 1 });
    expect(summariseTimings([50, 1, 3, 2])).toEqual({ lastMs: 2, medianMs: 2, count: 3 });
  });

  it('keeps the warm-up sample and a bounded window', () => {
    let samples: number[] = [];
    for (let i = 0; i < 100; i++) samples = appendTiming(samples, i === 0 ? 500 : i);
    expect(samples).toHaveLength(TIMING_WINDOW + 1);
    expect(samples[0]).toBe(500);
    expect(samples.at(-1)).toBe(99);
  });
});

describe('explorer logic', () => {
  it('picks the arg-max and its probability per row', () => {
    const p = new Float32Array([0.1, 0.7, 0.2, 0.5, 0.25, 0.25]);
    const { predicted, confidence } = topLabels(p, 3);
    expect(Array.from(predicted)).toEqual([1, 0]);
    expect(Array.from(confidence)).toEqual([Math.fround(0.7), 0.5]);
  });

  const predictions = {
    count: 6,
    labels: new Uint8Array([0, 1, 2, 1, 1, 0]),
    predicted: new Uint8Array([0, 2, 2, 1, 2, 1]),
    confidence: new Float32Array(6),
    probabilities: new Float32Array(60),
    ms: 0,
  };

  it('selects the images of a confusion-matrix cell, all images, or the mistakes', () => {
    expect(selectIndices(predictions, { trueLabel: 1, predicted: 2 }, false)).toEqual([1, 4]);
    expect(selectIndices(predictions, null, false)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(selectIndices(predictions, null, true)).toEqual([1, 4, 5]);
  });

  it('summarises with @mnist/metrics: accuracy, counts, report rows and the worst confusions', () => {
    const s = summarise(predictions.labels, predictions.predicted, ['a', 'b', 'c']);
    expect(s.accuracy).toBeCloseTo(3 / 6);
    expect(Array.from(s.counts)).toEqual([1, 1, 0, 0, 1, 2, 0, 0, 1]);
    expect(s.rows.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(s.rows[1]).toMatchObject({ precision: 0.5, recall: 1 / 3, support: 3 });
    expect(s.averages.map((r) => r.name)).toEqual(['macro avg', 'weighted avg']);
    expect(s.mostConfused[0]).toMatchObject({ trueClass: 1, predictedClass: 2, count: 2 });
  });
});

describe('calibration in the explorer', () => {
  it('adds @mnist/metrics’ reliability diagram when the probabilities are given, and lays it out as bars', () => {
    // Four images, two classes: sure and right, sure and wrong, unsure and right twice.
    const probabilities = Float32Array.from([0.95, 0.05, 0.95, 0.05, 0.55, 0.45, 0.45, 0.55]);
    const labels = [0, 1, 0, 1];
    const summary = summarise(labels, [0, 0, 0, 1], ['a', 'b'], probabilities);
    const diagram = summary.calibration;
    expect(diagram).toEqual(reliabilityDiagram(probabilities, labels, { bins: CALIBRATION_BINS }));
    expect(summarise(labels, [0, 0, 0, 1], ['a', 'b']).calibration).toBeUndefined();
    const bars = reliabilityBars(diagram as NonNullable<typeof diagram>, 100);
    // Bins (0.5, 0.6] with two images both right, (0.9, 1] with two images, one right.
    expect(bars.map((b) => [Math.round(b.x), Math.round(b.width), b.count, Math.round(b.y)])).toEqual([
      [50, 10, 2, 0],
      [90, 10, 2, 50],
    ]);
    expect(bars[1]?.expectedY).toBeCloseTo(5, 4);
    expect(bars[1]?.label).toBe('Confidence 90–100%: 2 images, 50.0% right');
  });
});
