// Batch assembly inside WebAssembly: the training images stay resident as bytes; a step names its samples
// by their positions in the epoch's order, and each is gathered, scaled ÷255 and augmented here.
//
// Augmentation randomness depends only on the epoch's seeds and the sample (its position in the epoch for the
// shifts, its image index for the drawing augmentation), never on which thread runs it, so the thread layout
// cannot change which images a step sees. `sampleSeed` and `augmentSeed` are mirrored bit for bit by
// src/train/batches.ts and src/random.ts (the tfjs path builds the same batches on the host).

import { augmentImage, augmentSeed } from './augment';

const PIXELS = 784;
const SIDE = 28;

/** The per-sample seed: a splitmix32-style finaliser of (epoch seed, position). */
export function sampleSeed(epochSeed: u32, position: u32): u32 {
  let z: u32 = epochSeed + position * 0x9e3779b9;
  z = (z ^ (z >>> 16)) * 0x85ebca6b;
  z = (z ^ (z >>> 13)) * 0xc2b2ae35;
  return z ^ (z >>> 16);
}

/**
 * Writes `count` samples into x (count × 784 f32 in 0..1) and labels (count × i32): sample s is image
 * order[first + s] of `images`,
 * - with `augmentParams` ≠ 0, drawn through the recipe's drawing augmentation (assembly/augment.ts, the packed
 *   parameters at `augmentParams`, `scratch` of AUGMENT_SCRATCH_BYTES this thread owns), seeded by
 *   augmentSeed(augmentEpochSeed, image index) as src/train/batches.ts seeds its TypeScript reference;
 * - else shifted by a random whole (dx, dy) in [−maxShift, maxShift]² with zero fill when maxShift > 0 (a
 *   recipe's `maxShift`, e.g. the compact cnn's), drawn from sampleSeed(epochSeed, first + s).
 */
export function gatherBatch(
  images: usize,
  labels: usize,
  order: usize,
  first: i32,
  count: i32,
  maxShift: i32,
  epochSeed: u32,
  x: usize,
  labelsOut: usize,
  augmentParams: usize,
  augmentEpochSeed: u32,
  scratch: usize,
): void {
  for (let s = 0; s < count; s++) {
    const position = first + s;
    const index = load<u32>(order + (<usize>position << 2));
    store<i32>(labelsOut + (<usize>s << 2), <i32>load<u8>(labels + index));
    const src = images + <usize>index * PIXELS;
    const dst = x + ((<usize>s * PIXELS) << 2);
    if (augmentParams != 0) {
      // The per-sample hook: the drawing augmentation (it scales ÷255 itself).
      augmentImage(src, dst, augmentSeed(augmentEpochSeed, index), augmentParams, scratch);
    } else if (maxShift > 0) {
      const seed = sampleSeed(epochSeed, <u32>position);
      const span = <u32>(2 * maxShift + 1);
      const dx = <i32>((seed & 0xffff) % span) - maxShift;
      const dy = <i32>((seed >>> 16) % span) - maxShift;
      shiftImage(src, dst, dx, dy);
    } else {
      for (let p = 0; p < PIXELS; p++) {
        store<f32>(dst + (<usize>p << 2), scale(load<u8>(src + p)));
      }
    }
  }
}

/** byte ÷ 255 rounded to f32 from the f64 quotient, exactly as JavaScript's `Float32Array` store does. */
// @ts-ignore: decorator
@inline
function scale(byte: u8): f32 {
  return <f32>(<f64>byte / 255.0);
}

/** dst = src translated by (dx, dy) pixels, zero fill, scaled ÷255. */
function shiftImage(src: usize, dst: usize, dx: i32, dy: i32): void {
  for (let row = 0; row < SIDE; row++) {
    const out = dst + ((<usize>row * SIDE) << 2);
    const from = row - dy;
    if (from < 0 || from >= SIDE) {
      memory.fill(out, 0, SIDE * 4);
      continue;
    }
    for (let col = 0; col < SIDE; col++) {
      const source = col - dx;
      store<f32>(
        out + (<usize>col << 2),
        source < 0 || source >= SIDE ? 0 : scale(load<u8>(src + <usize>from * SIDE + source)),
      );
    }
  }
}
