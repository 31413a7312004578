import { type Tensor, tensor2d, tensor4d } from '@tensorflow/tfjs-core';
import { MnistModelError } from './errors.js';
import type { InputKind } from './model.js';

/** Pixels in one MNIST image (28×28). */
export const PIXELS = 784;
/** Image side in pixels. */
export const SIDE = 28;
/** Number of classes (digits 0–9). */
export const CLASSES = 10;

/**
 * A labelled set of MNIST images, as `@mnist/data`'s `MnistSplit` provides: `count` images of 784 bytes
 * (0..255, row-major) and one label byte (0..9) per image. Any object of this shape works.
 */
export interface LabelledImages {
  /** Number of images. */
  readonly count: number;
  /** `count × 784` bytes, 0..255. */
  readonly images: Uint8Array;
  /** `count` labels, 0..9. */
  readonly labels: Uint8Array;
}

/**
 * Images to predict on: a labelled set (its labels are ignored), raw bytes 0..255 (`Uint8Array`,
 * `Uint8ClampedArray`), or floats already scaled to 0..1 (`Float32Array`); 784 values per image.
 */
export type ImagesInput = LabelledImages | Uint8Array | Uint8ClampedArray | Float32Array;

/** The pixels of some images as one flat typed array (bytes still to be divided by 255, or unit floats), and how many. */
export interface PixelSource {
  readonly pixels: Uint8Array | Uint8ClampedArray | Float32Array;
  readonly count: number;
}

/**
 * Checks a labelled set so that a wrong one fails here, with the offending value named, not deep inside tfjs
 * or as a silently wrong result: sizes, bytes for the images, and labels that are whole digits 0–9.
 */
export function checkLabelledImages(set: LabelledImages, what: string): void {
  snapshotLabelledImages(set, what, false);
}

/**
 * Checks a labelled set as {@link checkLabelledImages} does and returns what was checked: `count`, `images` and
 * `labels` are each read once, the labels are copied as they are checked and (with `copy`, the default) so are the
 * images, so that nothing the caller does afterwards (a getter that answers differently the second time, a Proxy,
 * an array changed while training awaits) reaches the data used.
 */
export function snapshotLabelledImages(set: LabelledImages, what: string, copy = true): LabelledImages {
  if (typeof set !== 'object' || set === null) {
    throw new MnistModelError(
      'BAD_INPUT',
      `${what}: expected { count, images, labels }; got ${String(set)}.`,
    );
  }
  const { count, images } = set;
  const labels = set.labels as ArrayLike<unknown> | undefined | null;
  if (!Number.isInteger(count) || count < 0) {
    throw new MnistModelError('BAD_INPUT', `${what}: count must be a non-negative integer; got ${count}.`);
  }
  // ArrayBuffer.isView: a real typed array (a Proxy of one passes instanceof, not this).
  if (
    !ArrayBuffer.isView(images) ||
    !(images instanceof Uint8Array || (images as unknown) instanceof Uint8ClampedArray)
  ) {
    throw new MnistModelError(
      'BAD_INPUT',
      `${what}: images must be bytes 0..255 (a Uint8Array of ${PIXELS} per image); got ` +
        `${describeArray(images)}. Pass an @mnist/data MnistSplit.`,
    );
  }
  const imageBytes = images.length;
  const labelCount = labels === undefined || labels === null ? undefined : labels.length;
  if (imageBytes !== count * PIXELS || labelCount !== count) {
    throw new MnistModelError(
      'BAD_INPUT',
      `${what}: expected ${count} images of ${PIXELS} bytes and ${count} labels; got ` +
        `${imageBytes} image bytes and ${labelCount ?? 'no'} labels. Pass an @mnist/data MnistSplit.`,
    );
  }
  const checked = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = (labels as ArrayLike<unknown>)[i];
    if (!(typeof label === 'number' && Number.isInteger(label) && label >= 0 && label < CLASSES)) {
      throw new MnistModelError(
        'BAD_INPUT',
        `${what}: label ${i} is ${String(label)}; labels must be whole digits 0–${CLASSES - 1}.`,
      );
    }
    checked[i] = label;
  }
  return { count, images: copy ? images.slice() : images, labels: checked };
}

function describeArray(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return (value as { constructor?: { name?: string } }).constructor?.name ?? typeof value;
}

/** Normalises any {@link ImagesInput} to its pixel array and image count, checking the size and type. */
export function pixelSource(input: ImagesInput): PixelSource {
  if (ArrayBuffer.isView(input)) {
    checkPixelType(input);
    if (input.length === 0 || input.length % PIXELS !== 0) {
      throw new MnistModelError(
        'BAD_INPUT',
        `Expected a whole number of ${PIXELS}-pixel images (28×28, row-major); got ${input.length} values.`,
      );
    }
    return { pixels: input, count: input.length / PIXELS };
  }
  const { images, count } = snapshotLabelledImages(input, 'images', false);
  return { pixels: images, count };
}

/** Refuses typed arrays that would be misread (a Float64Array divided by 255, say). */
export function checkPixelType(input: ArrayBufferView): void {
  if (!(input instanceof Uint8Array || input instanceof Uint8ClampedArray || input instanceof Float32Array)) {
    throw new MnistModelError(
      'BAD_INPUT',
      `Images must be bytes 0..255 (Uint8Array, Uint8ClampedArray) or floats in 0..1 (Float32Array); got a ` +
        `${describeArray(input)}.`,
    );
  }
}

/**
 * The first float pixel that is not a number in 0..1, as an error naming the image, row and column; NaN,
 * ±Infinity or −1e30 would otherwise flow through the network and come out as a confident-looking answer.
 */
function checkUnitFloats(pixels: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const value = pixels[i] as number;
    if (value >= 0 && value <= 1) continue;
    const image = Math.floor(i / PIXELS);
    const pixel = i % PIXELS;
    throw new MnistModelError(
      'BAD_INPUT',
      `Image ${image}, pixel ${pixel} (row ${Math.floor(pixel / SIDE)}, column ${pixel % SIDE}) is ${value}; ` +
        'float pixels must be numbers in 0..1 (or pass bytes 0..255 as a Uint8Array).',
    );
  }
}

/**
 * Copies images `[start, start + count)` of a pixel array into floats in 0..1: bytes are divided by 255
 * (the tutorial's preprocessing), floats are copied as they are.
 */
export function toUnitFloats(
  pixels: Uint8Array | Uint8ClampedArray | Float32Array,
  start: number,
  count: number,
): Float32Array {
  const from = start * PIXELS;
  const to = from + count * PIXELS;
  if (pixels instanceof Float32Array) {
    checkUnitFloats(pixels, from, to);
    return pixels.slice(from, to);
  }
  const out = new Float32Array(to - from);
  for (let i = from, j = 0; i < to; i++, j++) out[j] = (pixels[i] as number) / 255;
  return out;
}

/** Wraps unit floats for `count` images as the tensor a model of `kind` takes: [n, 784] or [n, 28, 28, 1]. */
export function inputTensor(unitFloats: Float32Array, count: number, kind: InputKind): Tensor {
  return kind === 'flat'
    ? tensor2d(unitFloats, [count, PIXELS])
    : tensor4d(unitFloats, [count, SIDE, SIDE, 1]);
}
