// The benchmark on disk: one IDX image file and one IDX label file per part, in a cache folder that is not
// committed, checked against the committed manifest of SHA-256 digests (test/fixtures/drawn/). The benchmark's
// definition (this folder) is test support: its tests and bench/drawn, which builds and measures it, both use it.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  encodeIdx,
  MnistSplit,
  parseIdxImages,
  parseIdxLabels,
  sha256Hex,
  writeFileAtomicallySync,
} from '@mnist/data';
import type { RenderedPart } from './render-parts.js';

/** Where `bench:drawn:build` writes the benchmark by default (ignored by git). */
export const DEFAULT_BENCHMARK_DIR = resolve(
  fileURLToPath(new URL('../../../results/drawn', import.meta.url)),
);

/** The committed manifest. */
export const MANIFEST_PATH = fileURLToPath(new URL('../../fixtures/drawn/manifest.json', import.meta.url));

/**
 * The held-out training digits (55,000–59,999, never trained on by the shipped cnn) drawn the same ways: for choosing
 * among candidates and for the verdict thresholds, so that the benchmark's test digits are only ever measured.
 */
export const HELDOUT_DIR = resolve(fileURLToPath(new URL('../../../results/drawn-heldout', import.meta.url)));

/** The committed manifest of the held-out drawings. */
export const HELDOUT_MANIFEST_PATH = fileURLToPath(
  new URL('../../fixtures/drawn/manifest-heldout.json', import.meta.url),
);

/** First training digit of the held-out part (the last 5,000 of the 60,000). */
export const HELDOUT_FIRST = 55_000;

/** Digits whose digest is also recorded on their own, so a quick rebuild can check determinism. */
export const PREFIX_DIGITS = 100;

/** What the committed manifest records about one part. */
export interface PartDigests {
  description: string;
  /** SHA-256 of the whole IDX image file. */
  images: string;
  /** SHA-256 of the whole IDX label file. */
  labels: string;
  /** SHA-256 of the IDX image file of the first {@link PREFIX_DIGITS} digits alone. */
  firstImages: string;
}

/** The committed description of a built benchmark. */
export interface DrawnManifest {
  /** Which digits were redrawn: MNIST `split` images `first` .. `first + count - 1`. */
  source: { split: 'test' | 'train'; first: number; count: number };
  /** The canvas implementation that rendered them (its anti-aliasing is part of the bytes). */
  canvas: string;
  /** The command that builds it. */
  command: string;
  parts: Record<string, PartDigests>;
}

/** File names of a part's images and labels (MNIST's naming). */
export function partFiles(name: string): { images: string; labels: string } {
  return { images: `${name}-images-idx3-ubyte`, labels: `${name}-labels-idx1-ubyte` };
}

/** The IDX files of one rendered part. */
export function encodePart(rendered: RenderedPart): { images: Uint8Array; labels: Uint8Array } {
  const count = rendered.labels.length;
  return {
    images: encodeIdx({ kind: 'images', count, rows: 28, cols: 28, pixels: rendered.images }),
    labels: encodeIdx({ kind: 'labels', count, labels: rendered.labels }),
  };
}

/** The digests the manifest records for one rendered part. */
export function digestPart(rendered: RenderedPart): PartDigests {
  const { images, labels } = encodePart(rendered);
  const prefix = Math.min(PREFIX_DIGITS, rendered.labels.length);
  const first = encodeIdx({
    kind: 'images',
    count: prefix,
    rows: 28,
    cols: 28,
    pixels: rendered.images.subarray(0, prefix * 784),
  });
  return {
    description: rendered.part.description,
    images: sha256Hex(images),
    labels: sha256Hex(labels),
    firstImages: sha256Hex(first),
  };
}

/** Writes every part's two files into `dir`, each whole or not at all (temporary name, then rename). */
export function writeParts(dir: string, rendered: readonly RenderedPart[]): void {
  mkdirSync(dir, { recursive: true });
  for (const part of rendered) {
    const files = partFiles(part.part.name);
    const bytes = encodePart(part);
    for (const kind of ['images', 'labels'] as const) {
      writeFileAtomicallySync(join(dir, files[kind]), bytes[kind]);
    }
  }
}

/** Reads the committed manifest. */
export function readManifest(path = MANIFEST_PATH): DrawnManifest {
  return JSON.parse(readFileSync(path, 'utf8')) as DrawnManifest;
}

/** Why the benchmark on disk cannot be used. */
export class DrawnBenchmarkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrawnBenchmarkError';
  }
}

/**
 * Loads the built benchmark from `dir`: every part of the manifest, each file checked against its SHA-256, so a
 * stale, partial or foreign build is refused rather than measured.
 *
 * @returns the parts in manifest order, each as an MNIST-style split (bytes 0..255, labels)
 * @throws {@link DrawnBenchmarkError} naming the file and the command that rebuilds it
 */
export function loadDrawnBenchmark(
  dir: string = DEFAULT_BENCHMARK_DIR,
  manifest: DrawnManifest = readManifest(),
): Map<string, MnistSplit> {
  const parts = new Map<string, MnistSplit>();
  for (const [name, digests] of Object.entries(manifest.parts)) {
    const files = partFiles(name);
    const read = (kind: 'images' | 'labels'): Uint8Array => {
      const path = join(dir, files[kind]);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(path));
      } catch (error) {
        throw new DrawnBenchmarkError(
          `The drawn-digit benchmark is not built: cannot read ${path} (${(error as NodeJS.ErrnoException).code}). ` +
            `Build it with \`${manifest.command}\`.`,
        );
      }
      const actual = sha256Hex(bytes);
      if (actual !== digests[kind]) {
        throw new DrawnBenchmarkError(
          `${path} has SHA-256 ${actual}, but the manifest says ${digests[kind]}: it is stale, partial or was ` +
            `built differently. Rebuild with \`${manifest.command}\`.`,
        );
      }
      return bytes;
    };
    const images = parseIdxImages(read('images'), files.images);
    const labels = parseIdxLabels(read('labels'), files.labels);
    parts.set(name, new MnistSplit(images.pixels, labels.labels, images.rows, images.cols));
  }
  return parts;
}
