// `mnist export` as users run it: the built binary in a real process. What it writes must run in onnxruntime and
// give what the library's predict gives; what it refuses, it refuses in the CLI's usage style before any work.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist, type MnistSplit } from '@mnist/data';
import {
  initBackend,
  loadPretrained,
  type MnistModel,
  predict,
  saveModel,
  TUTORIAL_RECIPE,
} from '@mnist/models/node';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/events/types';
import { EXIT } from '../src/exit-codes';
import { mnistDir, runCli } from './helpers';
import { jsonLines } from './process';

const IMAGES = 200;

let scratch: string;
let test: MnistSplit;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-export-'));
  test = (await loadMnist({ dir: mnistDir, sources: ['dir'] })).test.take(IMAGES);
  await initBackend('wasm', { log: false });
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The two outputs of an exported file for the first test images, run in onnxruntime-node. */
async function runFile(
  file: string,
  shape: number[],
): Promise<{ probabilities: Float32Array; outputs: Float32Array }> {
  const session = await ort.InferenceSession.create(await readFile(file));
  try {
    const pixels = new ort.Tensor(
      'float32',
      Float32Array.from(test.images, (v) => v / 255),
      [IMAGES, ...shape],
    );
    const result = await session.run({ pixels });
    return {
      probabilities: result.probabilities?.data as Float32Array,
      outputs: result.outputs?.data as Float32Array,
    };
  } finally {
    await session.release();
  }
}

function largestDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((worst, value, i) => Math.max(worst, Math.abs(value - (b[i] as number))), 0);
}

/** What the library predicts for the same images, with the model as given. */
async function predicted(model: MnistModel): Promise<{ probabilities: Float32Array; outputs: Float32Array }> {
  return { probabilities: await predict(model, test), outputs: await predict(model, test, { raw: true }) };
}

describe('mnist export', () => {
  it('writes a pretrained model as ONNX that onnxruntime runs to the probabilities predict gives', async () => {
    const file = join(scratch, 'text', 'mlp.onnx');
    const { code, stdout, stderr } = await runCli(['export', '--model', 'pretrained:mlp', '--output', file]);
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.ok);
    const size = (await readFile(file)).length;
    expect(stdout.split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Wrote pretrained:mlp to ${file} \\(ONNX opset 13, ${size.toLocaleString('en')} bytes\\) in \\d+\\.\\d s$`,
        ),
      ),
      '  input   pixels         float32 [N, 784], grey levels ÷255 (0..1)',
      '  output  probabilities  float32 [N, 10], what mnist predict reports',
      "  output  outputs        float32 [N, 10], the network's raw outputs",
      '',
    ]);
    // Written through a temporary file and a rename: nothing else is left in the folder.
    expect(await readdir(join(scratch, 'text'))).toEqual(['mlp.onnx']);
    const model = await loadPretrained('mlp');
    try {
      const onnx = await runFile(file, [784]);
      const ours = await predicted(model);
      expect(largestDifference(onnx.probabilities, ours.probabilities)).toBeLessThan(1e-5);
      expect(largestDifference(onnx.outputs, ours.outputs)).toBeLessThan(1e-5);
    } finally {
      model.layersModel.dispose();
    }
  });

  it('--json: one object saying what the file holds; --no-temperature leaves the calibration out', async () => {
    const file = join(scratch, 'cnn.onnx');
    // An old file in the way is replaced whole.
    await writeFile(file, 'an older export');
    const { code, stdout } = await runCli([
      'export',
      'pretrained:cnn',
      '-o',
      file,
      '--no-temperature',
      '--json',
    ]);
    expect(code).toBe(EXIT.ok);
    const described = JSON.parse(stdout) as Record<string, unknown>;
    expect(described).toEqual({
      model: 'pretrained:cnn',
      file,
      bytes: (await readFile(file)).length,
      opset: 13,
      input: { name: 'pixels', shape: ['N', 28, 28, 1], layout: 'NHWC' },
      outputs: [
        { name: 'probabilities', shape: ['N', 10] },
        { name: 'outputs', shape: ['N', 10] },
      ],
      temperature: 1,
      seconds: expect.any(Number),
    });
    const model = await loadPretrained('cnn');
    try {
      expect(model.temperature).not.toBe(1);
      const onnx = await runFile(file, [28, 28, 1]);
      const uncalibrated = await predicted({ ...model, temperature: undefined });
      expect(largestDifference(onnx.probabilities, uncalibrated.probabilities)).toBeLessThan(1e-5);
      expect(largestDifference(onnx.outputs, uncalibrated.outputs)).toBeLessThan(1e-5);
    } finally {
      model.layersModel.dispose();
    }
  });

  it('exports a model directory saved by mnist train --save, the default pretrained:best when none is named', async () => {
    const dir = join(scratch, 'saved-simple');
    const model = await loadPretrained('simple');
    await saveModel(model, dir);
    model.layersModel.dispose();
    const fromDir = await runCli(['export', dir, '-o', join(scratch, 'simple.onnx'), '--json']);
    expect(fromDir.code).toBe(EXIT.ok);
    expect(JSON.parse(fromDir.stdout)).toMatchObject({
      model: dir,
      input: { shape: ['N', 784], layout: 'flat' },
    });
    const best = await runCli(['export', '-o', join(scratch, 'best.onnx'), '--json']);
    expect(best.code).toBe(EXIT.ok);
    expect(JSON.parse(best.stdout)).toMatchObject({ model: 'pretrained:cnn' });
  });
});

describe('what mnist export refuses', () => {
  /** A usage error: exit 2, the reason, a blank line and the export usage on stderr; nothing on stdout. */
  async function usageError(args: string[]): Promise<string> {
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(EXIT.usage);
    const [reason, blank, usage] = stderr.split('\n');
    if (args.includes('--json')) {
      expect(jsonLines<RunEvent>(stdout)).toEqual([
        { type: 'error', message: reason?.replace(/^mnist: /, ''), code: 'USAGE', exitCode: 2 },
      ]);
    } else {
      expect(stdout).toBe('');
    }
    expect(blank).toBe('');
    expect(usage).toBe('Usage: mnist export [MODEL] --output FILE.onnx [options]');
    return reason ?? '';
  }

  it.each([
    [['export', 'pretrained:mlp'], 'mnist: export needs --output FILE.onnx'],
    [['export', '-o', 'mlp.txt'], 'mnist: --output must name a .onnx file, got "mlp.txt"'],
    [['export', '--output'], 'mnist: --output needs a value'],
    [
      ['export', 'pretrained:mlp', '--model', 'pretrained:cnn', '-o', 'x.onnx'],
      'mnist: give the model either as an argument or with --model, not both',
    ],
    [
      ['export', 'pretrained:big', '-o', 'x.onnx'],
      'mnist: the pretrained model must be one of simple, mlp, cnn, best, got "big"',
    ],
    [
      ['export', '-o', 'x.onnx', '--temperature'],
      'mnist: unknown option --temperature (did you mean --no-temperature?)',
    ],
  ])('%j', async (args, reason) => {
    expect(await usageError(args)).toBe(reason);
  });

  it('a destination that cannot be written, before the model is loaded', async () => {
    const folder = join(scratch, 'a-folder.onnx');
    await mkdir(folder);
    expect(await usageError(['export', '-o', folder, '--json'])).toBe(
      `mnist: --output ${folder}: ${folder} is a directory; give a file name, e.g. ${join(folder, 'model.onnx')}.`,
    );
    expect(await usageError(['export', '-o', '/proc/model.onnx'])).toMatch(
      /^mnist: --output \/proc\/model\.onnx: cannot write \/proc\/model\.onnx in \/proc \(E[A-Z]+: .+\)\. Choose a writable place\.$/,
    );
  });

  it('a model with a layer ONNX export does not convert: exit 1, the layer named, the old file left alone', async () => {
    const dir = join(scratch, 'leaky');
    const network = sequential({
      layers: [
        layers.dense({ inputShape: [784], units: 32 }),
        layers.leakyReLU({ name: 'leaky' }),
        layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    await saveModel({ name: 'leaky', layersModel: network, inputKind: 'flat', recipe: TUTORIAL_RECIPE }, dir);
    network.dispose();
    const file = join(scratch, 'kept', 'leaky.onnx');
    await mkdir(join(scratch, 'kept'));
    await writeFile(file, 'the previous export');
    const { code, stdout, stderr } = await runCli(['export', dir, '-o', file, '--json']);
    expect(code).toBe(EXIT.failure);
    const message =
      `cannot export ${dir} to ONNX: layer 'leaky' is a LeakyReLU, which has no ONNX conversion here; supported: ` +
      'Dense, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape, ' +
      'Activation, BatchNormalization, Dropout, SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout.';
    expect(jsonLines<RunEvent>(stdout)).toEqual([
      { type: 'error', message, code: 'UNSUPPORTED', exitCode: 1 },
    ]);
    expect(stderr).toBe(`mnist: ${message}\n`);
    expect(await readFile(file, 'utf8')).toBe('the previous export');
    expect(await readdir(join(scratch, 'kept'))).toEqual(['leaky.onnx']);
  });

  it('a model directory that does not exist', async () => {
    const missing = join(scratch, 'no-such-model');
    const { code, stderr } = await runCli(['export', missing, '-o', join(scratch, 'none.onnx')]);
    expect(code).toBe(EXIT.failure);
    expect(stderr).toContain(`model directory ${missing} does not exist`);
    expect(await readdir(scratch)).not.toContain('none.onnx');
  });
});
