// Training-time augmentation that models how people draw on a canvas, for one 28×28 image at a time, seeded per
// sample. The reference implementation: `engine/assembly/augment.ts` is its WebAssembly twin and is checked against it, so
// keep the two in step (same steps, same order of random draws, float64 arithmetic).
import { MnistModelError } from '../errors.js';
import { type AugmentParams, checkAugmentParams } from './params.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
/** Output pixels (by centre) of the outermost row and column stay empty: ink is kept off the edge. */
const BORDER = 1;
/** Finest low-resolution grid drawn: a digit 19 cells across (MNIST's are 20 pixels). */
export const LOW_RES_MAX_CELLS = 19;

/**
 * mulberry32, the generator @mnist/data's `seededRandom` uses, written out so the WebAssembly twin can mirror it
 * draw for draw. (No closures on the hot path: tsx's name-keeping wrapper makes each one costly.)
 */
class Mulberry32 {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Uniform in [−max, max). */
  symmetric(max: number): number {
    return (2 * this.next() - 1) * max;
  }
}

/**
 * Writes an augmented copy of one MNIST image into `dst`, as floats 0..1 (pixel ÷ 255):
 *
 * 1. draws, in this order: rotation, scale, shear, x and y shift, stroke change (one draw in [−1, 1): thicken by
 *    it × `thicken` if ≥ 0, thin by |it| × `thin` if not), whether to re-render at low resolution and on how many
 *    cells (eight draws, whatever the strengths), then the elastic field if any (2 × 784 draws);
 * 2. an affine map about the centre of the ink's bounding box (scale, then shear, then rotation, then shift), the
 *    shift clamped, and the map shrunk only if the ink cannot fit otherwise, so the ink stays inside the frame: the
 *    outermost row and column stay empty;
 * 3. an elastic displacement field (uniform noise smoothed by a Gaussian, Simard et al. 2003), applied to the
 *    sampling positions away from the frame's edge; bilinear sampling of the source through both;
 * 4. stroke thickness: grey dilation (thicker) or erosion (thinner) with a 3×3 cross, whole steps then a blend for
 *    the fraction, then the source's strongest ink restored (drawings always reach full contrast);
 * 5. sometimes, low-resolution re-rendering: the digit's box area-averaged onto a grid of `cells` square cells
 *    across its longer side and back (blocks that never leave the box), strongest ink restored.
 *
 * The same `seed` and `params` give the same output, bit for bit. All strengths zero gives `src ÷ 255` (for ink at
 * least 1 px inside the frame, as in every MNIST digit).
 *
 * @param src - 784 bytes, 0..255 (an MNIST image, ink bright)
 * @param dst - 784 floats, written
 * @param seed - the sample's seed (any 32-bit number)
 * @throws MnistModelError `BAD_INPUT` for wrong sizes or parameters
 */
export function augment(src: Uint8Array, dst: Float32Array, seed: number, params: AugmentParams): void {
  applyAugmentation(src, dst, planAugmentation(seed, params));
}

/** What one sample's random draws decided: the exact transforms {@link applyAugmentation} performs. */
export interface AugmentPlan {
  /** Rotation, radians. */
  angle: number;
  /** Scale factor (1 = unchanged). */
  scale: number;
  /** Horizontal shear. */
  shear: number;
  /** Shift in pixels before fitting into the frame. */
  shiftX: number;
  /** See {@link AugmentPlan.shiftX}. */
  shiftY: number;
  /** Stroke thickness change, pixels. */
  thickness: number;
  /** Side of the coarse grid to re-render on, or 0 for none. */
  cells: number;
  /** Elastic displacements [dx × 784, dy × 784] in pixels, or null for none. */
  field: Float64Array | null;
}

/** Draws one sample's {@link AugmentPlan} from its seed (the random draws of {@link augment}, in order). */
export function planAugmentation(seed: number, params: AugmentParams): AugmentPlan {
  const p = checkAugmentParams(params);
  const random = new Mulberry32(seed);
  const angle = (random.symmetric(p.rotation) * Math.PI) / 180;
  const scale = 1 + random.symmetric(p.scale);
  const shear = random.symmetric(p.shear);
  const shiftX = random.symmetric(p.translate);
  const shiftY = random.symmetric(p.translate);
  const stroke = random.symmetric(1);
  const thickness = stroke >= 0 ? stroke * p.thicken : stroke * p.thin;
  const lowResDraw = random.next();
  const cellsDraw = random.next();
  const cells =
    lowResDraw < p.lowResProbability
      ? p.lowResMinCells + Math.floor(cellsDraw * (LOW_RES_MAX_CELLS + 1 - p.lowResMinCells))
      : 0;
  const field = p.elasticAlpha > 0 ? elasticField(random, p.elasticAlpha, p.elasticSigma) : null;
  return { angle, scale, shear, shiftX, shiftY, thickness, cells, field };
}

/**
 * Applies a plan to one image (steps 2 to 5 of {@link augment}); exposed so each transform can be checked on its
 * own.
 */
export function applyAugmentation(src: Uint8Array, dst: Float32Array, plan: AugmentPlan): void {
  if (src.length !== PIXELS || dst.length !== PIXELS) {
    throw new MnistModelError(
      'BAD_INPUT',
      `augment takes 784-pixel images; got ${src.length} in and ${dst.length} out.`,
    );
  }
  const { angle, scale, shear, thickness, cells, field } = plan;
  let { shiftX, shiftY } = plan;
  // The ink's bounding box (pixel centres); an empty image stays empty.
  let x0 = SIDE;
  let y0 = SIDE;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      if ((src[y * SIDE + x] as number) > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) {
    dst.fill(0);
    return;
  }

  // Output pixels within `margin` of the edge are reached neither by the elastic field (zero there) nor, after
  // dilating `grow` pixels, by ink. A source pixel's ink reaches sampling positions less than one pixel away, so the
  // ink box grown by one pixel on each side, once mapped, must lie within [margin − 1, 28 − margin]: its open
  // interior then misses the ring.
  const grow = Math.max(0, Math.ceil(thickness));
  const margin = BORDER + grow;
  const lo = margin - 1;
  const hi = SIDE - margin;

  // Forward map: M = R(angle) · Shear · scale, about the box centre c, then the shift.
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const m = [scale * cos, scale * (cos * shear - sin), scale * sin, scale * (sin * shear + cos)];
  let box = mappedBox(m, x0 - 1, y0 - 1, x1 + 1, y1 + 1, cx, cy);
  const available = hi - lo;
  const widest = Math.max(box[1] - box[0], box[3] - box[2]);
  if (widest > available && widest > 0) {
    const shrink = Math.max(0, available) / widest;
    for (let k = 0; k < 4; k++) m[k] = (m[k] as number) * shrink;
    box = mappedBox(m, x0 - 1, y0 - 1, x1 + 1, y1 + 1, cx, cy);
  }
  const [m00, m01, m10, m11] = m as [number, number, number, number];
  shiftX = fitShift(shiftX, box[0], box[1], lo, hi);
  shiftY = fitShift(shiftY, box[2], box[3], lo, hi);

  // Inverse map for sampling: source = c + M⁻¹ (q − c − shift).
  const det = m00 * m11 - m01 * m10;
  const i00 = m11 / det;
  const i01 = -m01 / det;
  const i10 = -m10 / det;
  const i11 = m00 / det;
  const image = new Float64Array(PIXELS);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const k = y * SIDE + x;
      const warped = field !== null && x >= margin && y >= margin && x < SIDE - margin && y < SIDE - margin;
      const qx = x + (warped ? (field[k] as number) : 0) - cx - shiftX;
      const qy = y + (warped ? (field[PIXELS + k] as number) : 0) - cy - shiftY;
      image[k] = bilinear(src, cx + i00 * qx + i01 * qy, cy + i10 * qx + i11 * qy) / 255;
    }
  }

  if (thickness !== 0) {
    // Thinning fades strokes; drawings are always preprocessed to full contrast, so restore the source's.
    let before = 0;
    for (let k = 0; k < PIXELS; k++) before = Math.max(before, (src[k] as number) / 255);
    changeThickness(image, thickness);
    let after = 0;
    for (let k = 0; k < PIXELS; k++) after = Math.max(after, image[k] as number);
    if (after > 0) for (let k = 0; k < PIXELS; k++) image[k] = ((image[k] as number) * before) / after;
  }
  if (cells > 0) reRender(image, cells);
  for (let k = 0; k < PIXELS; k++) dst[k] = Math.min(1, Math.max(0, image[k] as number));
}

/** [minX, maxX, minY, maxY] of the ink box's corners under the linear map m = [m00, m01, m10, m11] about c. */
function mappedBox(
  m: number[],
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  cx: number,
  cy: number,
): [number, number, number, number] {
  const box: [number, number, number, number] = [
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  for (let corner = 0; corner < 4; corner++) {
    const dx = (corner & 1 ? x1 : x0) - cx;
    const dy = (corner & 2 ? y1 : y0) - cy;
    const mx = cx + (m[0] as number) * dx + (m[1] as number) * dy;
    const my = cy + (m[2] as number) * dx + (m[3] as number) * dy;
    box[0] = Math.min(box[0], mx);
    box[1] = Math.max(box[1], mx);
    box[2] = Math.min(box[2], my);
    box[3] = Math.max(box[3], my);
  }
  return box;
}

/** The shift moved as little as needed so that [min, max] + shift lies within [lo, hi] (centred if it cannot). */
function fitShift(shift: number, min: number, max: number, lo: number, hi: number): number {
  if (max - min > hi - lo) return (lo + hi) / 2 - (min + max) / 2;
  if (min + shift < lo) return lo - min;
  if (max + shift > hi) return hi - max;
  return shift;
}

/** Source value at a continuous position (pixel centres at whole numbers), zero outside the image. */
function bilinear(src: Uint8Array, x: number, y: number): number {
  const xf = Math.floor(x);
  const yf = Math.floor(y);
  const fx = x - xf;
  const fy = y - yf;
  return (
    pixel(src, xf, yf) * (1 - fx) * (1 - fy) +
    pixel(src, xf + 1, yf) * fx * (1 - fy) +
    pixel(src, xf, yf + 1) * (1 - fx) * fy +
    pixel(src, xf + 1, yf + 1) * fx * fy
  );
}

/** Pixel (c, r) of a 28×28 image, zero outside. */
function pixel(image: ArrayLike<number>, c: number, r: number): number {
  return c < 0 || r < 0 || c >= SIDE || r >= SIDE ? 0 : (image[r * SIDE + c] as number);
}

/**
 * Simard's elastic field: x then y displacements drawn uniform in [−1, 1) in raster order, each smoothed by a
 * normalised Gaussian of σ (radius ⌈3σ⌉, zero outside the image), times α. Returns [dx(784), dy(784)].
 */
function elasticField(random: Mulberry32, alpha: number, sigma: number): Float64Array {
  const raw = new Float64Array(2 * PIXELS);
  for (let i = 0; i < 2 * PIXELS; i++) raw[i] = 2 * random.next() - 1;
  const radius = Math.ceil(3 * sigma);
  const kernel = new Float64Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) {
    kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
    total += kernel[k + radius] as number;
  }
  for (let k = 0; k < kernel.length; k++) kernel[k] = (kernel[k] as number) / total;
  const field = new Float64Array(2 * PIXELS);
  const rows = new Float64Array(PIXELS);
  for (let plane = 0; plane < 2; plane++) {
    const base = plane * PIXELS;
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        let sum = 0;
        const from = Math.max(-radius, -x);
        const to = Math.min(radius, SIDE - 1 - x);
        for (let k = from; k <= to; k++)
          sum += (kernel[k + radius] as number) * (raw[base + y * SIDE + x + k] as number);
        rows[y * SIDE + x] = sum;
      }
    }
    for (let y = 0; y < SIDE; y++) {
      const from = Math.max(-radius, -y);
      const to = Math.min(radius, SIDE - 1 - y);
      for (let x = 0; x < SIDE; x++) {
        let sum = 0;
        for (let k = from; k <= to; k++)
          sum += (kernel[k + radius] as number) * (rows[(y + k) * SIDE + x] as number);
        field[base + y * SIDE + x] = alpha * sum;
      }
    }
  }
  return field;
}

/** Grey dilation (amount > 0) or erosion (< 0) with a 3×3 cross: whole steps, then a blend for the fraction. */
function changeThickness(image: Float64Array, amount: number): void {
  const steps = Math.abs(amount);
  const whole = Math.floor(steps);
  const fraction = steps - whole;
  const next = new Float64Array(PIXELS);
  for (let s = 0; s < whole; s++) {
    morphologyPass(image, next, amount > 0);
    image.set(next);
  }
  if (fraction > 0) {
    morphologyPass(image, next, amount > 0);
    for (let k = 0; k < PIXELS; k++)
      image[k] = (image[k] as number) + fraction * ((next[k] as number) - (image[k] as number));
  }
}

/** One 3×3-cross grey dilation (max) or erosion (min) of `image` into `out`; outside the image counts as 0. */
function morphologyPass(image: Float64Array, out: Float64Array, dilate: boolean): void {
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      let v = image[y * SIDE + x] as number;
      const left = pixel(image, x - 1, y);
      const right = pixel(image, x + 1, y);
      const up = pixel(image, x, y - 1);
      const down = pixel(image, x, y + 1);
      v = dilate ? Math.max(v, left, right, up, down) : Math.min(v, left, right, up, down);
      out[y * SIDE + x] = v;
    }
  }
}

/**
 * Re-renders the digit as if drawn `cells` cells across its longer side: the ink's bounding box is area-averaged
 * onto a coarse grid of square cells and back to its own size (blocks, ink never leaving the box), then the
 * strongest ink restored.
 */
function reRender(image: Float64Array, cells: number): void {
  let x0 = SIDE;
  let y0 = SIDE;
  let x1 = -1;
  let y1 = -1;
  let before = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = image[y * SIDE + x] as number;
      if (v > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (v > before) before = v;
      }
    }
  }
  if (x1 < 0) return;
  const width = x1 - x0 + 1;
  const height = y1 - y0 + 1;
  const cell = Math.max(width, height) / cells;
  const across = Math.max(1, Math.round(width / cell));
  const down = Math.max(1, Math.round(height / cell));
  const box = new Float64Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) box[y * width + x] = image[(y0 + y) * SIDE + x0 + x] as number;
  const back = resampleArea(resampleArea(box, width, height, across, down), across, down, width, height);
  let after = 0;
  for (let k = 0; k < back.length; k++) after = Math.max(after, back[k] as number);
  const gain = after > 0 ? before / after : 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) image[(y0 + y) * SIDE + x0 + x] = (back[y * width + x] as number) * gain;
  }
}

/** Area-averaging resampling of a `width × height` image to `outWidth × outHeight` (separable, exact overlaps). */
function resampleArea(
  src: Float64Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Float64Array {
  const rx = width / outWidth;
  const ry = height / outHeight;
  const horizontal = new Float64Array(height * outWidth);
  for (let r = 0; r < height; r++) {
    for (let X = 0; X < outWidth; X++) {
      const a = X * rx;
      const b = a + rx;
      let sum = 0;
      for (let x = Math.floor(a); x < Math.min(width, Math.ceil(b)); x++) {
        const overlap = Math.min(b, x + 1) - Math.max(a, x);
        if (overlap > 0) sum += overlap * (src[r * width + x] as number);
      }
      horizontal[r * outWidth + X] = sum / rx;
    }
  }
  const out = new Float64Array(outWidth * outHeight);
  for (let Y = 0; Y < outHeight; Y++) {
    const a = Y * ry;
    const b = a + ry;
    for (let X = 0; X < outWidth; X++) {
      let sum = 0;
      for (let y = Math.floor(a); y < Math.min(height, Math.ceil(b)); y++) {
        const overlap = Math.min(b, y + 1) - Math.max(a, y);
        if (overlap > 0) sum += overlap * (horizontal[y * outWidth + X] as number);
      }
      out[Y * outWidth + X] = sum / ry;
    }
  }
  return out;
}
