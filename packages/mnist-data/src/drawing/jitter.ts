// Seeded variation of pen strokes: the ways one person's digit differs from the next (slant, proportions, strokes
// that do not quite meet, wobbly lines, a shaky hand), applied to traced strokes.
import { seededRandom } from '../random.js';
import { strokesBox } from './place.js';
import type { PathPoint } from './trace.js';

/** How strongly {@link jitterStrokes} varies a drawing. Lengths are fractions of the drawing's longer side. */
export interface JitterOptions {
  /** Largest rotation of the whole drawing, degrees (uniform in ±). Default 12. */
  rotation?: number;
  /** Largest horizontal shear (x += shear · y, about the centre). Default 0.2. */
  shear?: number;
  /** Largest change of the aspect ratio, relative (width × (1 + a), height ÷ (1 + a)). Default 0.12. */
  aspect?: number;
  /** Largest shift of each stroke on its own (strokes that do not quite meet). Default 0.03. */
  strokeOffset?: number;
  /** Amplitude of a slow wobble along each stroke. Default 0.02. */
  wobble?: number;
  /** Amplitude of independent per-point noise (a shaky hand). Default 0.004. */
  tremor?: number;
}

/** The defaults of {@link JitterOptions}, as used by the drawn-digit benchmark. */
export const DEFAULT_JITTER: Readonly<Required<JitterOptions>> = Object.freeze({
  rotation: 12,
  shear: 0.2,
  aspect: 0.12,
  strokeOffset: 0.03,
  wobble: 0.02,
  tremor: 0.004,
});

/**
 * A jittered copy of some strokes: a random affine change of the whole drawing (rotation, shear, aspect) about the
 * centre of its bounding box, then per stroke a small shift and a slow sinusoidal wobble along its length, then
 * per-point tremor. The same seed gives the same result; all-zero options give the strokes back unchanged.
 */
export function jitterStrokes(
  strokes: readonly (readonly PathPoint[])[],
  seed: number,
  options: JitterOptions = {},
): PathPoint[][] {
  const o = { ...DEFAULT_JITTER, ...options };
  const random = seededRandom(seed);
  const uniform = (max: number) => (2 * random() - 1) * max;
  const box = strokesBox(strokes);
  if (box === null) return strokes.map(() => []);
  const size = Math.max(box.x1 - box.x0, box.y1 - box.y0, 1e-9);
  const cx = (box.x0 + box.x1) / 2;
  const cy = (box.y0 + box.y1) / 2;
  const angle = (uniform(o.rotation) * Math.PI) / 180;
  const shear = uniform(o.shear);
  const stretch = 1 + uniform(o.aspect);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return strokes.map((stroke) => {
    const dx = uniform(o.strokeOffset) * size;
    const dy = uniform(o.strokeOffset) * size;
    // Two slow waves per axis, phase and frequency random, over the stroke's arc length.
    const waves = [0, 1, 2, 3].map(() => ({ phase: random() * 2 * Math.PI, cycles: 0.5 + random() }));
    let length = 0;
    for (let i = 1; i < stroke.length; i++) {
      length += Math.hypot(
        (stroke[i] as PathPoint).x - (stroke[i - 1] as PathPoint).x,
        (stroke[i] as PathPoint).y - (stroke[i - 1] as PathPoint).y,
      );
    }
    let travelled = 0;
    return stroke.map((p, i) => {
      if (i > 0) {
        travelled += Math.hypot(p.x - (stroke[i - 1] as PathPoint).x, p.y - (stroke[i - 1] as PathPoint).y);
      }
      const t = length > 0 ? travelled / length : 0;
      const wave = (k: number) => {
        const { phase, cycles } = waves[k] as { phase: number; cycles: number };
        return Math.sin(phase + 2 * Math.PI * cycles * t);
      };
      // Affine about the centre: shear, aspect, then rotation.
      let x = p.x - cx;
      let y = p.y - cy;
      x += shear * y;
      x *= stretch;
      y /= stretch;
      const rx = cos * x - sin * y;
      const ry = sin * x + cos * y;
      const wobbleX = o.wobble * size * 0.5 * (wave(0) + wave(1));
      const wobbleY = o.wobble * size * 0.5 * (wave(2) + wave(3));
      return {
        x: cx + rx + dx + wobbleX + uniform(o.tremor) * size,
        y: cy + ry + dy + wobbleY + uniform(o.tremor) * size,
      };
    });
  });
}
