import { CLASSES, type LabelledImages, PIXELS, SIDE } from '../input.js';
import { seededRandom } from '@mnist/data';
import { augment } from '../augment/augment.js';
import type { AugmentParams } from '../augment/params.js';
import { deriveSeed } from '../random.js';

/** Per-sample augmentation of one epoch: each image's seed is derived from `epochSeed` and its index in the set. */
export interface EpochAugmentation {
  params: AugmentParams;
  epochSeed: number;
}

/** One training batch in host memory, ready to upload. */
export interface HostBatch {
  /** `size × 784` floats in 0..1. */
  x: Float32Array;
  /** `size × 10` one-hot rows of the labels. */
  targetMask: Float32Array;
  /** `size` labels. */
  labels: Int32Array;
  size: number;
}

/**
 * Assembles batch `b` of an epoch from the epoch's sample order: pixels ÷255, one-hot targets and labels.
 * Batches are built on the host and uploaded once each: at 100 KB per batch of 32 this is cheaper than
 * keeping the 188 MB float copy of the training set on the backend and gathering from it.
 *
 * @param maxShift - when > 0, each image is translated by a random whole number of pixels in
 *   [−maxShift, maxShift] on both axes (zero fill), drawn from `random`
 * @param augmentation - when given, each image goes through `augment` instead (with its own seed, so the result
 *   does not depend on batch composition or order)
 */
export function assembleBatch(
  set: LabelledImages,
  order: Uint32Array,
  start: number,
  size: number,
  maxShift = 0,
  random?: () => number,
  augmentation?: EpochAugmentation,
): HostBatch {
  const x = new Float32Array(size * PIXELS);
  const targetMask = new Float32Array(size * CLASSES);
  const labels = new Int32Array(size);
  const { images } = set;
  for (let k = 0; k < size; k++) {
    const index = order[start + k] as number;
    const label = set.labels[index] as number;
    labels[k] = label;
    targetMask[k * CLASSES + label] = 1;
    const from = index * PIXELS;
    const to = k * PIXELS;
    if (augmentation !== undefined) {
      augment(
        images.subarray(from, from + PIXELS),
        x.subarray(to, to + PIXELS),
        deriveSeed(augmentation.epochSeed, index),
        augmentation.params,
      );
    } else if (maxShift > 0 && random !== undefined) {
      const dx = Math.floor(random() * (2 * maxShift + 1)) - maxShift;
      const dy = Math.floor(random() * (2 * maxShift + 1)) - maxShift;
      shiftInto(images, from, x, to, dx, dy);
    } else {
      for (let p = 0; p < PIXELS; p++) x[to + p] = (images[from + p] as number) / 255;
    }
  }
  return { x, targetMask, labels, size };
}

/** Writes one 28×28 byte image, translated by (dx, dy) with zero fill, as unit floats. */
function shiftInto(
  images: Uint8Array,
  from: number,
  out: Float32Array,
  to: number,
  dx: number,
  dy: number,
): void {
  for (let row = 0; row < SIDE; row++) {
    const sourceRow = row - dy;
    if (sourceRow < 0 || sourceRow >= SIDE) continue;
    for (let col = 0; col < SIDE; col++) {
      const sourceCol = col - dx;
      if (sourceCol < 0 || sourceCol >= SIDE) continue;
      out[to + row * SIDE + col] = (images[from + sourceRow * SIDE + sourceCol] as number) / 255;
    }
  }
}

/** A seeded random stream for augmentation, separate from the shuffle's. */
export function augmentationRandom(seed: number): () => number {
  return seededRandom(seed);
}
