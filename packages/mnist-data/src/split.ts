import { MnistDataError } from './errors.js';
import { seededPermutation } from './random.js';

/** One batch of examples, ready for a model: pixels normalised to 0..1 and their labels. */
export interface Batch {
  /** `size * pixelsPerImage` floats in [0, 1] (pixel / 255), one image after another. */
  x: Float32Array;
  /** `size` labels. */
  y: Uint8Array;
  /** Number of examples in this batch (the last batch may be smaller than the batch size). */
  size: number;
  /** Index in the split of each example of the batch. */
  indices: Uint32Array;
}

/** Options of {@link MnistSplit.batches}. */
export interface BatchOptions {
  /** Visit the examples in a seeded random order instead of in order. Default false. */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0). The same seed gives the same order. */
  seed?: number;
  /** Leave out the last batch if it is smaller than `batchSize`. Default false. */
  dropRemainder?: boolean;
}

/**
 * One split of an image data set (e.g. MNIST's 60,000 training images) held compactly: one byte per pixel, one
 * byte per label. Views and subsets share memory; only {@link MnistSplit.select} and {@link MnistSplit.shuffled}
 * copy. Floats are produced per image or per batch, never for the whole set.
 */
export class MnistSplit {
  /** Number of examples. */
  readonly count: number;
  /** `count * pixelsPerImage` bytes, pixels 0..255 (0 = background), row-major, one image after another. */
  readonly images: Uint8Array;
  /** `count` labels (0..9). */
  readonly labels: Uint8Array;
  /** Image height in pixels (28 for MNIST). */
  readonly rows: number;
  /** Image width in pixels (28 for MNIST). */
  readonly cols: number;
  /** `rows * cols` (784 for MNIST). */
  readonly pixelsPerImage: number;

  /**
   * Wraps existing arrays (no copy).
   *
   * @throws {@link MnistDataError} `COUNT_MISMATCH` if `images` does not hold exactly one image per label.
   */
  constructor(images: Uint8Array, labels: Uint8Array, rows = 28, cols = 28) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows <= 0 || cols <= 0) {
      throw new MnistDataError('BAD_INPUT', `Image size must be positive integers, got ${rows}×${cols}.`);
    }
    const pixelsPerImage = rows * cols;
    if (images.length !== labels.length * pixelsPerImage) {
      throw new MnistDataError(
        'COUNT_MISMATCH',
        `The images hold ${images.length / pixelsPerImage} images of ${rows}×${cols} pixels but there are ${labels.length} labels: ` +
          'images and labels must come from the same split (e.g. train-images with train-labels).',
      );
    }
    this.images = images;
    this.labels = labels;
    this.count = labels.length;
    this.rows = rows;
    this.cols = cols;
    this.pixelsPerImage = pixelsPerImage;
  }

  /** The pixels of image `i` (a view, no copy): `pixelsPerImage` bytes, 0..255. */
  image(i: number): Uint8Array {
    this.checkIndex(i);
    return this.images.subarray(i * this.pixelsPerImage, (i + 1) * this.pixelsPerImage);
  }

  /** The label of example `i`. */
  label(i: number): number {
    this.checkIndex(i);
    return this.labels[i] as number;
  }

  /** Image `i` as floats in [0, 1] (pixel / 255). */
  normalized(i: number): Float32Array {
    const src = this.image(i);
    const out = new Float32Array(src.length);
    for (let p = 0; p < src.length; p++) out[p] = (src[p] as number) / 255;
    return out;
  }

  /** Examples `start` (inclusive) to `end` (exclusive, default: the end), as views sharing this split's memory. */
  subset(start: number, end: number = this.count): MnistSplit {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > this.count || start > end) {
      throw new MnistDataError(
        'BAD_INPUT',
        `subset(${start}, ${end}) is out of range for a split of ${this.count} examples.`,
      );
    }
    return new MnistSplit(
      this.images.subarray(start * this.pixelsPerImage, end * this.pixelsPerImage),
      this.labels.subarray(start, end),
      this.rows,
      this.cols,
    );
  }

  /** The first `n` examples (or all of them if there are fewer), as views. */
  take(n: number): MnistSplit {
    if (!Number.isInteger(n) || n < 0)
      throw new MnistDataError('BAD_INPUT', `take(${n}): n must be an integer ≥ 0.`);
    return this.subset(0, Math.min(n, this.count));
  }

  /** A new split made of the given examples, in the given order (copies them). */
  select(indices: ArrayLike<number>): MnistSplit {
    const n = indices.length;
    const ppi = this.pixelsPerImage;
    const images = new Uint8Array(n * ppi);
    const labels = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const i = indices[k] as number;
      this.checkIndex(i);
      images.set(this.images.subarray(i * ppi, (i + 1) * ppi), k * ppi);
      labels[k] = this.labels[i] as number;
    }
    return new MnistSplit(images, labels, this.rows, this.cols);
  }

  /** A copy in a deterministic random order: the same seed always gives the same order. */
  shuffled(seed: number): MnistSplit {
    return this.select(seededPermutation(this.count, seed));
  }

  /** How many examples have each label: index = label, for labels 0..max(9, largest label). */
  labelCounts(): number[] {
    const counts: number[] = new Array(10).fill(0);
    for (let i = 0; i < this.count; i++) {
      const label = this.labels[i] as number;
      counts[label] = (counts[label] ?? 0) + 1;
    }
    return Array.from(counts, (c) => c ?? 0);
  }

  /**
   * Yields the examples in batches of normalised floats (pixel / 255) with their labels. Each batch is freshly
   * allocated, so it can be kept or handed to a tensor library.
   *
   * @param batchSize - examples per batch (the last one may be smaller unless `dropRemainder`).
   */
  *batches(batchSize: number, options: BatchOptions = {}): Generator<Batch, void, undefined> {
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new MnistDataError(
        'BAD_INPUT',
        `batches(${batchSize}): the batch size must be a positive integer.`,
      );
    }
    const order = options.shuffle ? seededPermutation(this.count, options.seed ?? 0) : undefined;
    const ppi = this.pixelsPerImage;
    for (let start = 0; start < this.count; start += batchSize) {
      const size = Math.min(batchSize, this.count - start);
      if (size < batchSize && options.dropRemainder) return;
      const x = new Float32Array(size * ppi);
      const y = new Uint8Array(size);
      const indices = new Uint32Array(size);
      for (let k = 0; k < size; k++) {
        const i = order ? (order[start + k] as number) : start + k;
        indices[k] = i;
        y[k] = this.labels[i] as number;
        const offset = i * ppi;
        const base = k * ppi;
        for (let p = 0; p < ppi; p++) x[base + p] = (this.images[offset + p] as number) / 255;
      }
      yield { x, y, size, indices };
    }
  }

  private checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new MnistDataError(
        'BAD_INPUT',
        `Index ${i} is out of range for a split of ${this.count} examples.`,
      );
    }
  }
}

/** Options of {@link trainValidationSplit}. */
export interface TrainValidationOptions {
  /** Size of the validation set: a fraction in (0, 1) of the examples, or a whole number of examples. */
  validation: number;
  /**
   * If given, shuffle with this seed before splitting (copies). If omitted, the LAST examples become the validation
   * set, as Keras' `validation_split` does, and both parts are views.
   */
  seed?: number;
}

/**
 * Splits a training split into training and validation parts. Deterministic: without a seed the validation set is
 * the tail (Keras' convention); with a seed it is a seeded random sample.
 */
export function trainValidationSplit(
  split: MnistSplit,
  options: TrainValidationOptions,
): { train: MnistSplit; validation: MnistSplit } {
  const { validation } = options;
  let size: number;
  if (validation > 0 && validation < 1) size = Math.round(split.count * validation);
  else if (Number.isInteger(validation) && validation >= 0 && validation <= split.count) size = validation;
  else {
    throw new MnistDataError(
      'BAD_INPUT',
      `validation must be a fraction in (0, 1) or a whole number of examples up to ${split.count}, got ${validation}.`,
    );
  }
  const source = options.seed === undefined ? split : split.shuffled(options.seed);
  const cut = source.count - size;
  return { train: source.subset(0, cut), validation: source.subset(cut) };
}
