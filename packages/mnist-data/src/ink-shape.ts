// Whether a 28×28 input is made of strokes, as every MNIST digit is, or is one solid blob.
//
// Preprocessing scales the ink's bounding box up to 20 pixels, so a single dot, a tap on the pad or a checkerboard
// (whose area average is a grey square) arrives as a filled square or disc, which every model then reads as a
// confident "0". The measure is the ink's depth: how far its innermost pixel lies from the background, counted in
// pixel steps (up, down, left, right; a pixel on the ink's edge is 1 deep). A stroke w pixels wide is about w/2
// deep. Over MNIST's 70,000 digits the deepest is 8 (3 digits; 99.9% are at most 6), measured on the files by
// ink-shape.test.ts; a filled 20-pixel square or disc is 10 deep.
import { MnistDataError } from './errors.js';

/** Side of the input field (MNIST's 28). */
const SIDE = 28;

/** Ink from this value up (inputs are 0..1) counts as inked for the shape measure: MNIST's own half-way cut. */
export const INKED = 0.5;

/** The deepest ink a digit may have, in pixel steps: MNIST's deepest of 70,000 digits. A filled 20-pixel disc is 10. */
export const MAX_INK_DEPTH = 8;

/** What {@link inkShape} found. */
export interface InkShape {
  /** Inked pixels (value ≥ {@link INKED}). */
  area: number;
  /**
   * Steps from the innermost inked pixel to the nearest background pixel (or the field's edge), moving up, down,
   * left or right: about half the widest stroke. 0 when nothing is inked.
   */
  depth: number;
  /** True when the ink is one solid blob (a dot, a filled square), deeper than any digit: not something to classify. */
  solid: boolean;
}

/**
 * Measures the ink of a 28×28 model input (784 values in 0..1, 1 = ink, as `preprocessDrawing` returns): its depth,
 * and whether it is a solid blob rather than strokes.
 *
 * @throws {@link MnistDataError} `BAD_INPUT` when the input is not 784 values
 */
export function inkShape(input: ArrayLike<number>): InkShape {
  if (input.length !== SIDE * SIDE) {
    throw new MnistDataError(
      'BAD_INPUT',
      `inkShape takes one 28×28 input (${SIDE * SIDE} values in 0..1); got ${input.length} values.`,
    );
  }
  // City-block distance to the background in two passes (Rosenfeld and Pfaltz): from the top-left, then from the
  // bottom-right; outside the field counts as background.
  const distance = new Int32Array(SIDE * SIDE);
  let area = 0;
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      const i = r * SIDE + c;
      if ((input[i] as number) < INKED) continue;
      area++;
      const up = r > 0 ? (distance[i - SIDE] as number) : 0;
      const left = c > 0 ? (distance[i - 1] as number) : 0;
      distance[i] = Math.min(up, left) + 1;
    }
  }
  let depth = 0;
  for (let r = SIDE - 1; r >= 0; r--) {
    for (let c = SIDE - 1; c >= 0; c--) {
      const i = r * SIDE + c;
      if (distance[i] === 0) continue;
      const down = r < SIDE - 1 ? (distance[i + SIDE] as number) : 0;
      const right = c < SIDE - 1 ? (distance[i + 1] as number) : 0;
      const d = Math.min(distance[i] as number, Math.min(down, right) + 1);
      distance[i] = d;
      if (d > depth) depth = d;
    }
  }
  return { area, depth, solid: depth > MAX_INK_DEPTH };
}
