// The knobs of `augment`, as a named object for TypeScript and as a packed f32 array for the WebAssembly twin
// (engine/assembly/augment.ts reads the same layout).
import { MnistModelError } from '../errors.js';

/**
 * How strongly {@link augment} varies a training image. Every strength is the largest value drawn (uniformly in
 * ± the strength unless said otherwise); all zero gives the image back unchanged.
 */
export interface AugmentParams {
  /** Rotation, degrees (0..180). */
  rotation: number;
  /** Relative scale change: the digit is scaled by 1 + U(−scale, scale). */
  scale: number;
  /** Horizontal shear: x += shear · y (about the ink's centre). */
  shear: number;
  /** Translation, pixels, on each axis (kept so the ink stays inside the frame). */
  translate: number;
  /** Elastic distortion (Simard et al. 2003): α, the displacement field's scale in pixels (0 = none). */
  elasticAlpha: number;
  /** Elastic distortion: σ, the Gaussian smoothing of the field, pixels (0.5..10 when `elasticAlpha` > 0). */
  elasticSigma: number;
  /** Largest stroke thickening, pixels (grey dilation with a 3×3 cross; 0..3). Half the samples thicken. */
  thicken: number;
  /** Largest stroke thinning, as a fraction of one erosion step (0..1). The other half of the samples thin. */
  thin: number;
  /** Probability (0..1) of re-rendering the digit on a coarse grid and blowing it up again. */
  lowResProbability: number;
  /**
   * Coarsest grid of the low-resolution re-rendering, in cells across the digit's longer side (2..19; the grid is
   * drawn from this to 19).
   */
  lowResMinCells: number;
}

/**
 * Index of each parameter in the packed f32 array that `engine/assembly/augment.ts` reads; {@link AUGMENT_PARAMS_LENGTH}
 * floats in all. Append new parameters at the end so old layouts stay valid.
 */
export const AUGMENT_PARAM_INDEX: Readonly<Record<keyof AugmentParams, number>> = Object.freeze({
  rotation: 0,
  scale: 1,
  shear: 2,
  translate: 3,
  elasticAlpha: 4,
  elasticSigma: 5,
  thicken: 6,
  thin: 7,
  lowResProbability: 8,
  lowResMinCells: 9,
});

/** Floats in a packed parameter array. */
export const AUGMENT_PARAMS_LENGTH = 10;

/** No change at all: {@link augment} with these copies the image (÷255). */
export const NO_AUGMENTATION: Readonly<AugmentParams> = Object.freeze({
  rotation: 0,
  scale: 0,
  shear: 0,
  translate: 0,
  elasticAlpha: 0,
  elasticSigma: 0,
  thicken: 0,
  thin: 0,
  lowResProbability: 0,
  lowResMinCells: 6,
});

/**
 * Strengths that model drawing on a canvas, chosen for the shipped cnn's recipe (bench/drawn/NOTES.md): ±12°,
 * ±12% scale, ±0.25 shear, ±3 px shift, a mild elastic field (α 10, σ 3.5), strokes up to 1.5 px thicker or half an
 * erosion step thinner, and one image in five re-rendered 6 to 19 cells across.
 */
export const DRAWING_AUGMENTATION: Readonly<AugmentParams> = Object.freeze({
  rotation: 12,
  scale: 0.12,
  shear: 0.25,
  translate: 3,
  elasticAlpha: 10,
  elasticSigma: 3.5,
  thicken: 1.5,
  thin: 0.5,
  lowResProbability: 0.2,
  lowResMinCells: 6,
});

/**
 * Checks every parameter and rounds it to float32, as the WebAssembly twin reads it from the packed array (so both
 * compute with identical inputs).
 *
 * @throws MnistModelError `BAD_INPUT` naming the parameter
 */
export function checkAugmentParams(params: AugmentParams): Readonly<AugmentParams> {
  const out = {} as AugmentParams;
  for (const key of Object.keys(AUGMENT_PARAM_INDEX) as (keyof AugmentParams)[]) {
    const value = params[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new MnistModelError(
        'BAD_INPUT',
        `augment: ${key} must be a finite number; got ${String(value)}.`,
      );
    }
    out[key] = Math.fround(value);
  }
  const nonNegative: (keyof AugmentParams)[] = [
    'rotation',
    'scale',
    'shear',
    'translate',
    'elasticAlpha',
    'elasticSigma',
    'thicken',
    'thin',
  ];
  for (const key of nonNegative) {
    if (out[key] < 0) throw new MnistModelError('BAD_INPUT', `augment: ${key} must be ≥ 0; got ${out[key]}.`);
  }
  // The WebAssembly twin's sin/cos cover ±π, and its scratch a Gaussian radius of ⌈3σ⌉ ≤ 30.
  if (out.rotation > 180)
    throw new MnistModelError('BAD_INPUT', `augment: rotation must be at most 180°; got ${out.rotation}.`);
  if (out.elasticSigma > 10)
    throw new MnistModelError(
      'BAD_INPUT',
      `augment: elasticSigma must be at most 10; got ${out.elasticSigma}.`,
    );
  if (out.scale >= 1)
    throw new MnistModelError('BAD_INPUT', `augment: scale must be below 1; got ${out.scale}.`);
  if (out.elasticAlpha > 0 && out.elasticSigma < 0.5) {
    throw new MnistModelError(
      'BAD_INPUT',
      `augment: elasticSigma must be ≥ 0.5 when elasticAlpha > 0; got ${out.elasticSigma}.`,
    );
  }
  if (out.thicken > 3)
    throw new MnistModelError('BAD_INPUT', `augment: thicken must be at most 3 px; got ${out.thicken}.`);
  if (out.thin > 1)
    throw new MnistModelError('BAD_INPUT', `augment: thin must be at most 1; got ${out.thin}.`);
  if (out.lowResProbability < 0 || out.lowResProbability > 1) {
    throw new MnistModelError(
      'BAD_INPUT',
      `augment: lowResProbability must be in [0, 1]; got ${out.lowResProbability}.`,
    );
  }
  if (!Number.isInteger(out.lowResMinCells) || out.lowResMinCells < 2 || out.lowResMinCells > 19) {
    throw new MnistModelError(
      'BAD_INPUT',
      `augment: lowResMinCells must be a whole number from 2 to 19; got ${out.lowResMinCells}.`,
    );
  }
  return out;
}

/** The packed f32 layout of {@link AUGMENT_PARAM_INDEX}, for the WebAssembly twin. */
export function packAugmentParams(params: AugmentParams): Float32Array {
  const checked = checkAugmentParams(params);
  const packed = new Float32Array(AUGMENT_PARAMS_LENGTH);
  for (const [key, index] of Object.entries(AUGMENT_PARAM_INDEX))
    packed[index] = checked[key as keyof AugmentParams];
  return packed;
}

/** Reads a packed array back into named parameters (checked). */
export function unpackAugmentParams(packed: ArrayLike<number>): Readonly<AugmentParams> {
  if (packed.length < AUGMENT_PARAMS_LENGTH) {
    throw new MnistModelError(
      'BAD_INPUT',
      `augment: a packed parameter array needs ${AUGMENT_PARAMS_LENGTH} floats; got ${packed.length}.`,
    );
  }
  const params = {} as AugmentParams;
  for (const [key, index] of Object.entries(AUGMENT_PARAM_INDEX))
    params[key as keyof AugmentParams] = packed[index] as number;
  return checkAugmentParams(params);
}
