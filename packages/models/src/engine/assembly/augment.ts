// The drawing augmentation inside the engine: the WebAssembly twin of src/augment/augment.ts (the reference; read
// its comments for what each step does and why). Same steps, same order of random draws (mulberry32), float64
// arithmetic in the same order, so its output matches the reference's within float rounding of the
// transcendental functions. No allocation: every buffer lives in a scratch area of AUGMENT_SCRATCH_BYTES that
// the caller owns (one per thread).

const SIDE = 28;
const PIXELS = 784;
/** Output pixels (by centre) of the outermost row and column stay empty: ink is kept off the edge. */
const BORDER = 1;
/** Finest low-resolution grid drawn (LOW_RES_MAX_CELLS in the reference). */
const LOW_RES_MAX_CELLS: f64 = 19;

// Parameter slots (f32) of a packed parameter array: AUGMENT_PARAM_INDEX in src/augment/params.ts.
const P_ROTATION = 0;
const P_SCALE = 1;
const P_SHEAR = 2;
const P_TRANSLATE = 3;
const P_ELASTIC_ALPHA = 4;
const P_ELASTIC_SIGMA = 5;
const P_THICKEN = 6;
const P_THIN = 7;
const P_LOW_RES_PROBABILITY = 8;
const P_LOW_RES_MIN_CELLS = 9;

/** Largest Gaussian radius the scratch holds: ⌈3σ⌉ for σ ≤ 10 (the reference refuses larger σ). */
const MAX_RADIUS = 30;

// Scratch layout, in f64 slots.
const S_IMAGE = 0; // 784: the image being built
const S_NEXT = S_IMAGE + PIXELS; // 784: morphology output
const S_FIELD = S_NEXT + PIXELS; // 2 × 784: elastic dx, dy (later: low-res resampling buffers)
const S_RAW = S_FIELD + 2 * PIXELS; // 2 × 784: uniform noise (later: the low-res box and its first pass)
const S_ROWS = S_RAW + 2 * PIXELS; // 784: horizontally blurred plane (later: the coarse grid)
const S_PADDED = S_ROWS + PIXELS; // SIDE + 2·MAX_RADIUS: one zero-padded noise row
const S_KERNEL = S_PADDED + SIDE + 2 * MAX_RADIUS; // 2·MAX_RADIUS + 1 taps
const S_END = S_KERNEL + 2 * MAX_RADIUS + 1;

/** Bytes of scratch {@link augmentImage} needs. */
export const AUGMENT_SCRATCH_BYTES: i32 = ((S_END * 8 + 63) / 64) * 64;

/** Floats in a packed parameter array (AUGMENT_PARAMS_LENGTH in the reference). */
export const AUGMENT_PARAMS_LENGTH: i32 = 10;

// @ts-ignore: decorator
@inline
function f64At(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

// @ts-ignore: decorator
@inline
function param(params: usize, index: i32): f64 {
  return <f64>load<f32>(params + (<usize>index << 2));
}

// mulberry32, as the reference's `Mulberry32` (a global state: one instance per thread, one sample at a time).
let state: u32 = 0;

// @ts-ignore: decorator
@inline
function nextRandom(): f64 {
  state += 0x6d2b79f5;
  let t = state;
  t = (t ^ (t >>> 15)) * (t | 1);
  t ^= t + (t ^ (t >>> 7)) * (t | 61);
  // × 2⁻³² is exact, so the same as the reference's ÷ 4294967296.
  return <f64>(t ^ (t >>> 14)) * 2.3283064365386963e-10;
}

// @ts-ignore: decorator
@inline
function symmetric(max: f64): f64 {
  return (2 * nextRandom() - 1) * max;
}

/**
 * The seed of one sample's augmentation: `deriveSeed(epochSeed, index)` of src/random.ts (the splitmix32
 * finaliser of the epoch's drawing seed and the image's index in the training set), as the tfjs step seeds it.
 */
export function augmentSeed(epochSeed: u32, index: u32): u32 {
  let z: u32 = epochSeed * 0x9e3779b1 + (index + 1) * 0x85ebca6b;
  z = (z ^ (z >>> 16)) * 0x85ebca6b;
  z = (z ^ (z >>> 13)) * 0xc2b2ae35;
  return z ^ (z >>> 16);
}

/**
 * `augment(src, dst, seed, params)` of the reference: 784 bytes in, 784 f32 in 0..1 out, drawn from `seed`
 * with the packed parameters at `params` (AUGMENT_PARAMS_LENGTH f32, already checked by the host).
 */
export function augmentImage(src: usize, dst: usize, seed: u32, params: usize, scratch: usize): void {
  // The plan: the draws in the reference's order.
  state = seed;
  const angle = (symmetric(param(params, P_ROTATION)) * Math.PI) / 180;
  const scale = 1 + symmetric(param(params, P_SCALE));
  const shear = symmetric(param(params, P_SHEAR));
  let shiftX = symmetric(param(params, P_TRANSLATE));
  let shiftY = symmetric(param(params, P_TRANSLATE));
  const stroke = symmetric(1);
  const thickness = stroke >= 0 ? stroke * param(params, P_THICKEN) : stroke * param(params, P_THIN);
  const lowResDraw = nextRandom();
  const cellsDraw = nextRandom();
  const minCells = param(params, P_LOW_RES_MIN_CELLS);
  const cells =
    lowResDraw < param(params, P_LOW_RES_PROBABILITY)
      ? minCells + Math.floor(cellsDraw * (LOW_RES_MAX_CELLS + 1 - minCells))
      : 0;
  const alpha = param(params, P_ELASTIC_ALPHA);
  const warp = alpha > 0;
  const field = f64At(scratch, S_FIELD);
  if (warp) elasticField(scratch, alpha, param(params, P_ELASTIC_SIGMA));

  // The ink's bounding box; an empty image stays empty.
  let x0 = SIDE;
  let y0 = SIDE;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      if (load<u8>(src + <usize>(y * SIDE + x)) > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) {
    memory.fill(dst, 0, PIXELS << 2);
    return;
  }

  const grow = <i32>Math.max(0, Math.ceil(thickness));
  const margin = BORDER + grow;
  const lo = <f64>(margin - 1);
  const hi = <f64>(SIDE - margin);

  const cx = <f64>(x0 + x1) / 2;
  const cy = <f64>(y0 + y1) / 2;
  sinCos(angle);
  const cos = cosOut;
  const sin = sinOut;
  let m00 = scale * cos;
  let m01 = scale * (cos * shear - sin);
  let m10 = scale * sin;
  let m11 = scale * (sin * shear + cos);
  const bx0 = <f64>(x0 - 1);
  const by0 = <f64>(y0 - 1);
  const bx1 = <f64>(x1 + 1);
  const by1 = <f64>(y1 + 1);
  mappedBox(m00, m01, m10, m11, bx0, by0, bx1, by1, cx, cy);
  const available = hi - lo;
  const widest = Math.max(boxMaxX - boxMinX, boxMaxY - boxMinY);
  if (widest > available && widest > 0) {
    const shrink = Math.max(0, available) / widest;
    m00 *= shrink;
    m01 *= shrink;
    m10 *= shrink;
    m11 *= shrink;
    mappedBox(m00, m01, m10, m11, bx0, by0, bx1, by1, cx, cy);
  }
  shiftX = fitShift(shiftX, boxMinX, boxMaxX, lo, hi);
  shiftY = fitShift(shiftY, boxMinY, boxMaxY, lo, hi);

  // Inverse map for sampling: source = c + M⁻¹ (q − c − shift).
  const det = m00 * m11 - m01 * m10;
  const i00 = m11 / det;
  const i01 = -m01 / det;
  const i10 = -m10 / det;
  const i11 = m00 / det;
  const image = f64At(scratch, S_IMAGE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const k = y * SIDE + x;
      const warped = warp && x >= margin && y >= margin && x < SIDE - margin && y < SIDE - margin;
      const qx = <f64>x + (warped ? load<f64>(f64At(field, k)) : 0) - cx - shiftX;
      const qy = <f64>y + (warped ? load<f64>(f64At(field, PIXELS + k)) : 0) - cy - shiftY;
      store<f64>(f64At(image, k), bilinear(src, cx + i00 * qx + i01 * qy, cy + i10 * qx + i11 * qy) / 255);
    }
  }

  if (thickness != 0) {
    // Thinning fades strokes; drawings are always preprocessed to full contrast, so restore the source's.
    let before: f64 = 0;
    for (let k = 0; k < PIXELS; k++) before = Math.max(before, <f64>load<u8>(src + <usize>k) / 255);
    changeThickness(image, f64At(scratch, S_NEXT), thickness);
    let after: f64 = 0;
    for (let k = 0; k < PIXELS; k++) after = Math.max(after, load<f64>(f64At(image, k)));
    if (after > 0) {
      for (let k = 0; k < PIXELS; k++) store<f64>(f64At(image, k), (load<f64>(f64At(image, k)) * before) / after);
    }
  }
  if (cells > 0) reRender(image, scratch, cells);
  for (let k = 0; k < PIXELS; k++) {
    store<f32>(dst + (<usize>k << 2), <f32>Math.min(1, Math.max(0, load<f64>(f64At(image, k)))));
  }
}

// sin and cos of the last sinCos call.
let sinOut: f64 = 0;
let cosOut: f64 = 0;

/**
 * sin and cos of an angle within ±π (the reference refuses rotations above 180°), without the standard
 * library's: its argument reduction for huge angles brings a table, i.e. a data segment, which the engine module
 * must not have (a worker's instance would re-initialise shared memory). fdlibm's kernel polynomial coefficients
 * on [−π/4, π/4] (summed in musl's grouping, not V8's Horner order) and a Cody–Waite reduction by the nearest
 * multiple of π/2 beyond: within an ulp or two of Math.sin/Math.cos in f64, and almost always the same f32 once
 * rounded, which is what the augmentation uses (test/engine-augment.test.ts counts the exact ones).
 */
function sinCos(x: f64): void {
  if (Math.abs(x) <= Math.PI / 4) {
    sinOut = sinKernel(x, 0, false);
    cosOut = cosKernel(x, 0);
    return;
  }
  // π/2 as a 33-bit head (so n·head is exact) plus a tail.
  const head = reinterpret<f64>(0x3ff921fb54400000);
  const tail = reinterpret<f64>(0x3dd0b4611a626331);
  const n = Math.round(x * (2 / Math.PI));
  const r = x - n * head;
  const y0 = r - n * tail;
  const y1 = r - y0 - n * tail;
  const s = sinKernel(y0, y1, true);
  const c = cosKernel(y0, y1);
  const quadrant = <i32>n & 3;
  sinOut = quadrant == 0 ? s : quadrant == 1 ? c : quadrant == 2 ? -s : -c;
  cosOut = quadrant == 0 ? c : quadrant == 1 ? -s : quadrant == 2 ? -c : s;
}

/** sin(x + y) for |x| ≤ π/4, y the tail of a reduced argument (fdlibm's kernel polynomial). */
function sinKernel(x: f64, y: f64, hasTail: bool): f64 {
  const S1 = -1.66666666666666324348e-1;
  const S2 = 8.33333333332248946124e-3;
  const S3 = -1.98412698298579493134e-4;
  const S4 = 2.75573137070700676789e-6;
  const S5 = -2.50507602534068634195e-8;
  const S6 = 1.58969099521155010221e-10;
  const z = x * x;
  const w = z * z;
  const r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  const v = z * x;
  if (!hasTail) return x + v * (S1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}

/** cos(x + y) for |x| ≤ π/4 (fdlibm's kernel polynomial). */
function cosKernel(x: f64, y: f64): f64 {
  const C1 = 4.16666666666666019037e-2;
  const C2 = -1.38888888888741095749e-3;
  const C3 = 2.48015872894767294178e-5;
  const C4 = -2.75573143513906633035e-7;
  const C5 = 2.08757232129817482790e-9;
  const C6 = -1.13596475577881948265e-11;
  const z = x * x;
  const w = z * z;
  const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  const hz = 0.5 * z;
  const one = 1.0 - hz;
  return one + (1.0 - one - hz + (z * r - x * y));
}

// The last mappedBox result (globals instead of an allocated array).
let boxMinX: f64 = 0;
let boxMaxX: f64 = 0;
let boxMinY: f64 = 0;
let boxMaxY: f64 = 0;

/** The box [x0, x1] × [y0, y1]'s corners under the linear map m about c: sets boxMin/Max X/Y. */
function mappedBox(
  m00: f64,
  m01: f64,
  m10: f64,
  m11: f64,
  x0: f64,
  y0: f64,
  x1: f64,
  y1: f64,
  cx: f64,
  cy: f64,
): void {
  boxMinX = Infinity;
  boxMaxX = -Infinity;
  boxMinY = Infinity;
  boxMaxY = -Infinity;
  for (let corner = 0; corner < 4; corner++) {
    const dx = (corner & 1 ? x1 : x0) - cx;
    const dy = (corner & 2 ? y1 : y0) - cy;
    const mx = cx + m00 * dx + m01 * dy;
    const my = cy + m10 * dx + m11 * dy;
    boxMinX = Math.min(boxMinX, mx);
    boxMaxX = Math.max(boxMaxX, mx);
    boxMinY = Math.min(boxMinY, my);
    boxMaxY = Math.max(boxMaxY, my);
  }
}

/** The shift moved as little as needed so that [min, max] + shift lies within [lo, hi] (centred if it cannot). */
function fitShift(shift: f64, min: f64, max: f64, lo: f64, hi: f64): f64 {
  if (max - min > hi - lo) return (lo + hi) / 2 - (min + max) / 2;
  if (min + shift < lo) return lo - min;
  if (max + shift > hi) return hi - max;
  return shift;
}

/** Byte pixel (c, r) of the source, zero outside. */
// @ts-ignore: decorator
@inline
function sourcePixel(src: usize, c: i32, r: i32): f64 {
  return c < 0 || r < 0 || c >= SIDE || r >= SIDE ? 0 : <f64>load<u8>(src + <usize>(r * SIDE + c));
}

/** Source value at a continuous position (pixel centres at whole numbers), zero outside the image. */
// @ts-ignore: decorator
@inline
function bilinear(src: usize, x: f64, y: f64): f64 {
  const xf = Math.floor(x);
  const yf = Math.floor(y);
  const fx = x - xf;
  const fy = y - yf;
  // Positions stay within a few pixels of the frame (the map keeps the ink inside), so i32 is safe.
  const c = <i32>xf;
  const r = <i32>yf;
  if (<u32>c < <u32>(SIDE - 1) && <u32>r < <u32>(SIDE - 1)) {
    // All four neighbours inside (the common case): no bounds checks, same arithmetic.
    const at = src + <usize>(r * SIDE + c);
    return (
      <f64>load<u8>(at) * (1 - fx) * (1 - fy) +
      <f64>load<u8>(at, 1) * fx * (1 - fy) +
      <f64>load<u8>(at, SIDE) * (1 - fx) * fy +
      <f64>load<u8>(at, SIDE + 1) * fx * fy
    );
  }
  return (
    sourcePixel(src, c, r) * (1 - fx) * (1 - fy) +
    sourcePixel(src, c + 1, r) * fx * (1 - fy) +
    sourcePixel(src, c, r + 1) * (1 - fx) * fy +
    sourcePixel(src, c + 1, r + 1) * fx * fy
  );
}

/**
 * Simard's elastic field into the scratch's field: x then y noise drawn uniform in [−1, 1) in raster order, each
 * plane blurred by a normalised Gaussian of σ (radius ⌈3σ⌉, zero outside the image), times α. Two output
 * columns at a time (f64x2); each lane sums its taps in the reference's order, and zero taps added outside the
 * image change no sum, so the result is the reference's bit for bit.
 */
function elasticField(scratch: usize, alpha: f64, sigma: f64): void {
  const raw = f64At(scratch, S_RAW);
  for (let i = 0; i < 2 * PIXELS; i++) store<f64>(f64At(raw, i), 2 * nextRandom() - 1);
  const radius = <i32>Math.ceil(3 * sigma);
  const kernel = f64At(scratch, S_KERNEL);
  let total: f64 = 0;
  for (let k = -radius; k <= radius; k++) {
    const kk = <f64>k;
    const value = Math.exp(-(kk * kk) / (2 * sigma * sigma));
    store<f64>(f64At(kernel, k + radius), value);
    total += value;
  }
  for (let k = 0; k <= 2 * radius; k++) store<f64>(f64At(kernel, k), load<f64>(f64At(kernel, k)) / total);
  const field = f64At(scratch, S_FIELD);
  const rows = f64At(scratch, S_ROWS);
  const padded = f64At(scratch, S_PADDED);
  memory.fill(padded, 0, <usize>(SIDE + 2 * radius) << 3);
  const taps = 2 * radius + 1;
  for (let plane = 0; plane < 2; plane++) {
    const base = plane * PIXELS;
    for (let y = 0; y < SIDE; y++) {
      memory.copy(f64At(padded, radius), f64At(raw, base + y * SIDE), SIDE << 3);
      blurHalfRow(padded, 8, kernel, taps, f64At(rows, y * SIDE), 1);
      blurHalfRow(f64At(padded, SIDE / 2), 8, kernel, taps, f64At(rows, y * SIDE + SIDE / 2), 1);
    }
    for (let y = 0; y < SIDE; y++) {
      const from = max(-radius, -y);
      const to = min(radius, SIDE - 1 - y);
      const out = f64At(field, base + y * SIDE);
      const first = f64At(rows, (y + from) * SIDE);
      const kernelFrom = f64At(kernel, from + radius);
      blurHalfRow(first, SIDE * 8, kernelFrom, to - from + 1, out, alpha);
      blurHalfRow(first + (SIDE / 2) * 8, SIDE * 8, kernelFrom, to - from + 1, out + (SIDE / 2) * 8, alpha);
    }
  }
}

/**
 * Fourteen outputs of a 1-D blur, out[j] = scale × Σ_k kernel[k] · in[j + k·step] (j = 0..13, k in order), as seven
 * f64x2 accumulators: independent chains, so the adds overlap instead of waiting for each other.
 */
function blurHalfRow(input: usize, step: usize, kernel: usize, taps: i32, out: usize, scale: f64): void {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let s2 = f64x2.splat(0);
  let s3 = f64x2.splat(0);
  let s4 = f64x2.splat(0);
  let s5 = f64x2.splat(0);
  let s6 = f64x2.splat(0);
  let at = input;
  for (let k = 0; k < taps; k++) {
    const tap = f64x2.splat(load<f64>(kernel + (<usize>k << 3)));
    s0 = f64x2.add(s0, f64x2.mul(tap, v128.load(at)));
    s1 = f64x2.add(s1, f64x2.mul(tap, v128.load(at, 16)));
    s2 = f64x2.add(s2, f64x2.mul(tap, v128.load(at, 32)));
    s3 = f64x2.add(s3, f64x2.mul(tap, v128.load(at, 48)));
    s4 = f64x2.add(s4, f64x2.mul(tap, v128.load(at, 64)));
    s5 = f64x2.add(s5, f64x2.mul(tap, v128.load(at, 80)));
    s6 = f64x2.add(s6, f64x2.mul(tap, v128.load(at, 96)));
    at += step;
  }
  if (scale != 1) {
    // The reference scales after summing (α · sum); skipped for the first pass, whose scale is 1.
    const by = f64x2.splat(scale);
    s0 = f64x2.mul(by, s0);
    s1 = f64x2.mul(by, s1);
    s2 = f64x2.mul(by, s2);
    s3 = f64x2.mul(by, s3);
    s4 = f64x2.mul(by, s4);
    s5 = f64x2.mul(by, s5);
    s6 = f64x2.mul(by, s6);
  }
  v128.store(out, s0);
  v128.store(out, s1, 16);
  v128.store(out, s2, 32);
  v128.store(out, s3, 48);
  v128.store(out, s4, 64);
  v128.store(out, s5, 80);
  v128.store(out, s6, 96);
}

/** Grey dilation (amount > 0) or erosion (< 0) with a 3×3 cross: whole steps, then a blend for the fraction. */
function changeThickness(image: usize, next: usize, amount: f64): void {
  const steps = Math.abs(amount);
  const whole = Math.floor(steps);
  const fraction = steps - whole;
  const dilate = amount > 0;
  for (let s: f64 = 0; s < whole; s++) {
    morphologyPass(image, next, dilate);
    memory.copy(image, next, PIXELS << 3);
  }
  if (fraction > 0) {
    morphologyPass(image, next, dilate);
    for (let k = 0; k < PIXELS; k++) {
      const v = load<f64>(f64At(image, k));
      store<f64>(f64At(image, k), v + fraction * (load<f64>(f64At(next, k)) - v));
    }
  }
}

/** Pixel (c, r) of an f64 image, zero outside. */
// @ts-ignore: decorator
@inline
function imagePixel(image: usize, c: i32, r: i32): f64 {
  return c < 0 || r < 0 || c >= SIDE || r >= SIDE ? 0 : load<f64>(f64At(image, r * SIDE + c));
}

/** One 3×3-cross grey dilation (max) or erosion (min) of `image` into `out`; outside the image counts as 0. */
function morphologyPass(image: usize, out: usize, dilate: bool): void {
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = load<f64>(f64At(image, y * SIDE + x));
      const left = imagePixel(image, x - 1, y);
      const right = imagePixel(image, x + 1, y);
      const up = imagePixel(image, x, y - 1);
      const down = imagePixel(image, x, y + 1);
      const result = dilate
        ? Math.max(Math.max(Math.max(Math.max(v, left), right), up), down)
        : Math.min(Math.min(Math.min(Math.min(v, left), right), up), down);
      store<f64>(f64At(out, y * SIDE + x), result);
    }
  }
}

/**
 * Re-renders the digit as if drawn `cells` cells across its longer side: the ink's box area-averaged onto a
 * coarse grid and back to its own size, then the strongest ink restored.
 */
function reRender(image: usize, scratch: usize, cells: f64): void {
  let x0 = SIDE;
  let y0 = SIDE;
  let x1 = -1;
  let y1 = -1;
  let before: f64 = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = load<f64>(f64At(image, y * SIDE + x));
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
  const cell = <f64>max(width, height) / cells;
  const across = <i32>Math.max(1, Math.round(<f64>width / cell));
  const down = <i32>Math.max(1, Math.round(<f64>height / cell));
  const box = f64At(scratch, S_RAW);
  const pass = f64At(scratch, S_RAW + PIXELS);
  const coarse = f64At(scratch, S_ROWS);
  const back = f64At(scratch, S_FIELD + PIXELS);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      store<f64>(f64At(box, y * width + x), load<f64>(f64At(image, (y0 + y) * SIDE + x0 + x)));
    }
  }
  resampleArea(box, width, height, across, down, pass, coarse);
  resampleArea(coarse, across, down, width, height, f64At(scratch, S_FIELD), back);
  let after: f64 = 0;
  for (let k = 0; k < width * height; k++) after = Math.max(after, load<f64>(f64At(back, k)));
  const gain = after > 0 ? before / after : 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      store<f64>(f64At(image, (y0 + y) * SIDE + x0 + x), load<f64>(f64At(back, y * width + x)) * gain);
    }
  }
}

/**
 * Area-averaging resampling of a `width × height` image to `outWidth × outHeight` (separable, exact overlaps),
 * through `horizontal` (height × outWidth) into `out`.
 */
function resampleArea(
  src: usize,
  width: i32,
  height: i32,
  outWidth: i32,
  outHeight: i32,
  horizontal: usize,
  out: usize,
): void {
  const rx = <f64>width / <f64>outWidth;
  const ry = <f64>height / <f64>outHeight;
  for (let r = 0; r < height; r++) {
    for (let X = 0; X < outWidth; X++) {
      const a = <f64>X * rx;
      const b = a + rx;
      let sum: f64 = 0;
      const end = min(width, <i32>Math.ceil(b));
      for (let x = <i32>Math.floor(a); x < end; x++) {
        const overlap = Math.min(b, <f64>(x + 1)) - Math.max(a, <f64>x);
        if (overlap > 0) sum += overlap * load<f64>(f64At(src, r * width + x));
      }
      store<f64>(f64At(horizontal, r * outWidth + X), sum / rx);
    }
  }
  for (let Y = 0; Y < outHeight; Y++) {
    const a = <f64>Y * ry;
    const b = a + ry;
    const end = min(height, <i32>Math.ceil(b));
    for (let X = 0; X < outWidth; X++) {
      let sum: f64 = 0;
      for (let y = <i32>Math.floor(a); y < end; y++) {
        const overlap = Math.min(b, <f64>(y + 1)) - Math.max(a, <f64>y);
        if (overlap > 0) sum += overlap * load<f64>(f64At(horizontal, y * outWidth + X));
      }
      store<f64>(f64At(out, Y * outWidth + X), sum / ry);
    }
  }
}
