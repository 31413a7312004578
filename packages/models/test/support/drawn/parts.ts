// The parts of the drawn-digit benchmark: each redraws the same MNIST test digits (traced into pen strokes) in one
// way people draw on a canvas, through the web demo's own renderer and preprocessing.
import { STROKE_WIDTH_FRACTION } from '@mnist/data';

/** How one part draws a traced digit. */
export interface DrawnPart {
  /** File-name-safe name. */
  name: string;
  /** What it models, in a few words (for reports; recorded in the manifest). */
  description: string;
  /** The same for anyone, in a few plain words (the models README and the web demo's "About the models"). */
  plain: string;
  /** Canvas side in pixels (the demo renders its model input at 280). */
  canvasSize: number;
  /** Pen width as a fraction of the canvas side (the demo's is {@link STROKE_WIDTH_FRACTION}). */
  penWidth: number;
  /** Longer side of the digit on the canvas, as a fraction of the canvas side. */
  extent: number;
  /** Where the digit's centre sits on the canvas (fractions; default the middle). */
  center?: { x: number; y: number };
  /** Jitter the strokes (seeded per digit) with @mnist/data's default {@link DEFAULT_JITTER}. */
  jitter?: boolean;
  /** Re-render the canvas on a coarse grid of this many cells per side before preprocessing. */
  cells?: number;
}

/** The demo's own drawing: a digit across 70% of the 280-pixel input canvas, default pen. */
const DEMO = { canvasSize: 280, penWidth: STROKE_WIDTH_FRACTION, extent: 0.7 } as const;

/** Every part, in report order. Changing one changes the benchmark: rebuild and commit the new manifest. */
export const DRAWN_PARTS: readonly DrawnPart[] = Object.freeze([
  {
    name: 'strokes',
    description: 'the demo: 70% of the canvas, default pen',
    plain: 'drawn the usual way: default pen, centred',
    ...DEMO,
  },
  {
    name: 'pen-thin',
    description: 'thin pen (3.5% of the canvas)',
    plain: 'drawn with a thin pen',
    ...DEMO,
    penWidth: 0.035,
  },
  {
    name: 'pen-thick',
    description: 'thick pen (12% of the canvas)',
    plain: 'drawn with a thick pen',
    ...DEMO,
    penWidth: 0.12,
  },
  {
    name: 'small-corner',
    description: 'small digit (30%) off-centre, default pen: thick after rescaling',
    plain: 'drawn small, off-centre',
    ...DEMO,
    extent: 0.3,
    center: { x: 0.3, y: 0.32 },
  },
  {
    name: 'large',
    description: 'digit filling 95% of the canvas, default pen',
    plain: 'drawn large, filling the canvas',
    ...DEMO,
    extent: 0.95,
  },
  {
    name: 'canvas-112',
    description: 'drawn on a 112-pixel canvas',
    plain: 'drawn on a small canvas (112 px)',
    ...DEMO,
    canvasSize: 112,
  },
  {
    name: 'canvas-560',
    description: 'drawn on a 560-pixel canvas',
    plain: 'drawn on a large canvas (560 px)',
    ...DEMO,
    canvasSize: 560,
  },
  {
    name: 'lowres-16',
    description: '16×16 grid, blown up',
    plain: 'drawn on a 16×16 grid',
    ...DEMO,
    extent: 0.9,
    cells: 16,
  },
  {
    name: 'lowres-8',
    description: '8×8 grid, blown up',
    plain: 'drawn on an 8×8 grid',
    ...DEMO,
    extent: 0.9,
    cells: 8,
  },
  {
    name: 'jitter',
    description: 'seeded jitter: slant, proportions, loose strokes, wobble',
    plain: 'drawn carelessly: slanted, wobbly strokes',
    ...DEMO,
    jitter: true,
  },
]);

/** The seed of digit `index`'s jitter: one fixed stream per digit, whatever the subset or part order. */
export function jitterSeed(index: number): number {
  return (Math.imul(index + 1, 0x9e3779b1) ^ 0x6a09e667) >>> 0;
}
