// The drawn-digit benchmark's builder and loader: deterministic bytes, the committed manifest reproduced, files
// checked on load.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanvasFactory, MnistSplit } from '@mnist/data';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DrawnBenchmarkError,
  type DrawnManifest,
  digestPart,
  loadDrawnBenchmark,
  PREFIX_DIGITS,
  partFiles,
  readManifest,
  writeParts,
} from './support/drawn/files.js';
import { DRAWN_PARTS } from './support/drawn/parts.js';
import { type RenderedPart, renderParts } from './support/drawn/render-parts.js';
import { mnist } from './support/data.js';

const skia: CanvasFactory = (w, h) => createCanvas(w, h) as unknown as ReturnType<CanvasFactory>;

let test: MnistSplit;
let first: RenderedPart[];
let dir: string;
beforeAll(async () => {
  test = (await mnist()).test;
  const digits = test.take(PREFIX_DIGITS);
  first = await renderParts(
    { images: digits.images, labels: digits.labels, firstIndex: 0 },
    DRAWN_PARTS,
    skia,
  );
  dir = await mkdtemp(join(tmpdir(), 'drawn-benchmark-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('building the drawn-digit benchmark', () => {
  it('reproduces the committed manifest for the first digits of every part', () => {
    const manifest = readManifest();
    expect(Object.keys(manifest.parts)).toEqual(DRAWN_PARTS.map((p) => p.name));
    for (const part of first) {
      expect(digestPart(part).firstImages, part.part.name).toBe(manifest.parts[part.part.name]?.firstImages);
    }
  });

  it('gives the same bytes on every run, whatever digits come before', async () => {
    const digits = test.subset(40, 50);
    const again = await renderParts(
      { images: digits.images, labels: digits.labels, firstIndex: 40 },
      DRAWN_PARTS,
      skia,
    );
    again.forEach((part, p) => {
      const earlier = (first[p] as RenderedPart).images.subarray(40 * 784, 50 * 784);
      expect(Buffer.from(part.images).equals(Buffer.from(earlier)), part.part.name).toBe(true);
      expect(Array.from(part.labels)).toEqual(Array.from(test.labels.subarray(40, 50)));
    });
  });

  it('draws every digit: no part has an empty image', () => {
    for (const part of first) {
      for (let i = 0; i < PREFIX_DIGITS; i++) {
        expect(
          part.images.subarray(i * 784, (i + 1) * 784).some((v) => v > 0),
          `${part.part.name} #${i}`,
        ).toBe(true);
      }
    }
  });
});

describe('loading the drawn-digit benchmark', () => {
  const manifestFor = (parts: RenderedPart[]): DrawnManifest => ({
    source: { split: 'test', first: 0, count: PREFIX_DIGITS },
    canvas: 'test',
    command: 'pnpm --filter @mnist/models bench:drawn:build',
    parts: Object.fromEntries(parts.map((p) => [p.part.name, digestPart(p)])),
  });

  it('reads back what was written, as MNIST-style splits', async () => {
    writeParts(dir, first);
    const parts = loadDrawnBenchmark(dir, manifestFor(first));
    expect([...parts.keys()]).toEqual(DRAWN_PARTS.map((p) => p.name));
    for (const part of first) {
      const split = parts.get(part.part.name) as MnistSplit;
      expect(split.count).toBe(PREFIX_DIGITS);
      expect(Buffer.from(split.images).equals(Buffer.from(part.images))).toBe(true);
    }
  });

  it('refuses a changed file, naming it and the command that rebuilds it', async () => {
    writeParts(dir, first);
    const name = (first[0] as RenderedPart).part.name;
    const path = join(dir, partFiles(name).images);
    const bytes = Buffer.from((first[0] as RenderedPart).images);
    const header = Buffer.alloc(16);
    header.writeUInt32BE(2051, 0);
    header.writeUInt32BE(PREFIX_DIGITS, 4);
    header.writeUInt32BE(28, 8);
    header.writeUInt32BE(28, 12);
    bytes[500] = (bytes[500] as number) ^ 1;
    await writeFile(path, Buffer.concat([header, bytes]));
    expect(() => loadDrawnBenchmark(dir, manifestFor(first))).toThrow(DrawnBenchmarkError);
    expect(() => loadDrawnBenchmark(dir, manifestFor(first))).toThrow(/stale, partial.*bench:drawn:build/);
  });

  it('says how to build it when it is missing', () => {
    expect(() => loadDrawnBenchmark(join(dir, 'nowhere'), manifestFor(first))).toThrow(
      /not built.*bench:drawn:build/,
    );
  });
});
