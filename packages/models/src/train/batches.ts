import { CLASSES, type LabelledImages, PIXELS, SIDE } from '../input.js';
import { augment } from '../augment/augment.js';
import type { EpochAugmentation } from '../step.js';
import { deriveSeed } from '../random.js';

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
 * The per-sample augmentation seed: a splitmix32-style finaliser of (epoch seed, position in the epoch). It depends
 * on nothing else (not on batches or threads), and engine/assembly/gather.ts computes the same bits in WebAssembly.
 */
export function sampleSeed(epochSeed: number, position: number): number {
  let z = (epochSeed + Math.imul(position, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** The (dx, dy) shift of one sample for a `maxShift`, from its seed: whole pixels in [−maxShift, maxShift]. */
export function sampleShift(seed: number, maxShift: number): [dx: number, dy: number] {
  const span = 2 * maxShift + 1;
  return [((seed & 0xffff) % span) - maxShift, ((seed >>> 16) % span) - maxShift];
}

/**
 * Assembles a batch from the epoch's sample order: the samples at positions [start, start + size), pixels ÷255,
 * one-hot targets and labels. This is the tfjs step's batch; the wasm engine gathers the same batch inside
 * WebAssembly (engine/assembly/gather.ts).
 *
 * @param maxShift - when > 0, each image is translated by a random whole number of pixels in
 *   [−maxShift, maxShift] on both axes (zero fill), drawn from {@link sampleSeed}(augmentSeed, position)
 * @param augmentation - when given, each image goes through `augment` instead (with its own seed, so the result
 *   does not depend on batch composition or order)
 */
export function assembleBatch(
  set: LabelledImages,
  order: Uint32Array,
  start: number,
  size: number,
  maxShift = 0,
  augmentSeed = 0,
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
    } else if (maxShift > 0) {
      const [dx, dy] = sampleShift(sampleSeed(augmentSeed, start + k), maxShift);
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
