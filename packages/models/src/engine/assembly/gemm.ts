// Single-precision matrix products, the engine's arithmetic core: C[m×n] = A[m×k]·B[k×n] (or C += A·B).
//
// B and C are row-major with leading dimensions `ldb` and `ldc` (in floats); A is read through two strides
// (`rowStride` between its rows, `colStride` between its columns), so the same kernel computes A·B
// (rowStride = k, colStride = 1) and Aᵀ·B for a row-major A (rowStride = 1, colStride = m), the two shapes a
// training step needs. A·Bᵀ is computed as A·(Bᵀ) after an explicit transpose (see `transpose`), which is cheap
// next to the product. No packing: the weights change every step, and each 8-column panel of B (k × 32 bytes)
// stays in L1 while the 4-row tiles of A stream past it.
//
// Micro-kernel: 4 rows × 8 columns of C in eight 4-wide accumulators; per step of k, two loads of B, four
// splats of A, eight multiplies and eight adds (no fused multiply-add in WebAssembly's base SIMD).

// @ts-ignore: decorator
@inline
function splatAt(p: usize): v128 {
  return v128.load32_splat(p);
}

/** Depth of one pass over k: a 4-row tile of A (4·KC floats) stays in L1 and a KC-row block of B in L2. */
const KC = 256;

/** C (+)= A·B; see the file comment for the layout. `accumulate` ≠ 0 adds to C instead of overwriting it. */
export function gemm(
  a: usize,
  rowStride: i32,
  colStride: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  accumulate: i32,
): void {
  const aRow = <usize>rowStride << 2;
  const aCol = <usize>colStride << 2;
  const bRow = <usize>ldb << 2;
  const cRow = <usize>ldc << 2;
  // k in blocks, then rows of C in tiles of 4, then columns in panels of 8: each tile of A is read once per
  // block from memory, and the block of B is re-read from cache by every tile.
  for (let p0 = 0; p0 < k; p0 += KC) {
    const depth = min(KC, k - p0);
    const add = accumulate != 0 || p0 > 0 ? 1 : 0;
    const a0 = a + <usize>p0 * aCol;
    const b0 = b + <usize>p0 * bRow;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const pa = a0 + <usize>i * aRow;
      const pc = c + <usize>i * cRow;
      let j = 0;
      for (; j + 8 <= n; j += 8) tile4x8(pa, aRow, aCol, b0 + (<usize>j << 2), bRow, pc + (<usize>j << 2), cRow, depth, add);
      for (; j + 4 <= n; j += 4) tile4x4(pa, aRow, aCol, b0 + (<usize>j << 2), bRow, pc + (<usize>j << 2), cRow, depth, add);
      for (; j < n; j++) {
        for (let r = 0; r < 4; r++) {
          scalar(pa + <usize>r * aRow, aCol, b0 + (<usize>j << 2), bRow, pc + <usize>r * cRow + (<usize>j << 2), depth, add);
        }
      }
    }
    for (; i < m; i++) {
      const pa = a0 + <usize>i * aRow;
      const pc = c + <usize>i * cRow;
      let j = 0;
      for (; j + 8 <= n; j += 8) tile1x8(pa, aCol, b0 + (<usize>j << 2), bRow, pc + (<usize>j << 2), depth, add);
      for (; j < n; j++) scalar(pa, aCol, b0 + (<usize>j << 2), bRow, pc + (<usize>j << 2), depth, add);
    }
  }
}

/** C[4×8] (+)= A[4×depth]·B[depth×8]: eight accumulators, two loads of B and four splats of A per step. */
// @ts-ignore: decorator
@inline
function tile4x8(pa: usize, aRow: usize, aCol: usize, pb: usize, bRow: usize, pc: usize, cRow: usize, depth: i32, add: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < depth; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let s = splatAt(pa);
    c00 = f32x4.add(c00, f32x4.mul(s, b0));
    c01 = f32x4.add(c01, f32x4.mul(s, b1));
    s = splatAt(pa + aRow);
    c10 = f32x4.add(c10, f32x4.mul(s, b0));
    c11 = f32x4.add(c11, f32x4.mul(s, b1));
    s = splatAt(pa + 2 * aRow);
    c20 = f32x4.add(c20, f32x4.mul(s, b0));
    c21 = f32x4.add(c21, f32x4.mul(s, b1));
    s = splatAt(pa + 3 * aRow);
    c30 = f32x4.add(c30, f32x4.mul(s, b0));
    c31 = f32x4.add(c31, f32x4.mul(s, b1));
    pa += aCol;
    pb += bRow;
  }
  store8(pc, c00, c01, add);
  store8(pc + cRow, c10, c11, add);
  store8(pc + 2 * cRow, c20, c21, add);
  store8(pc + 3 * cRow, c30, c31, add);
}

/** C[4×4] (+)= A[4×depth]·B[depth×4]. */
// @ts-ignore: decorator
@inline
function tile4x4(pa: usize, aRow: usize, aCol: usize, pb: usize, bRow: usize, pc: usize, cRow: usize, depth: i32, add: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  for (let p = 0; p < depth; p++) {
    const b0 = v128.load(pb);
    c0 = f32x4.add(c0, f32x4.mul(splatAt(pa), b0));
    c1 = f32x4.add(c1, f32x4.mul(splatAt(pa + aRow), b0));
    c2 = f32x4.add(c2, f32x4.mul(splatAt(pa + 2 * aRow), b0));
    c3 = f32x4.add(c3, f32x4.mul(splatAt(pa + 3 * aRow), b0));
    pa += aCol;
    pb += bRow;
  }
  store4(pc, c0, add);
  store4(pc + cRow, c1, add);
  store4(pc + 2 * cRow, c2, add);
  store4(pc + 3 * cRow, c3, add);
}

/** C[1×8] (+)= A[1×depth]·B[depth×8]. */
// @ts-ignore: decorator
@inline
function tile1x8(pa: usize, aCol: usize, pb: usize, bRow: usize, pc: usize, depth: i32, add: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let p = 0; p < depth; p++) {
    const s = splatAt(pa);
    c0 = f32x4.add(c0, f32x4.mul(s, v128.load(pb)));
    c1 = f32x4.add(c1, f32x4.mul(s, v128.load(pb, 16)));
    pa += aCol;
    pb += bRow;
  }
  store8(pc, c0, c1, add);
}

/** One element: C (+)= A-row · B-column, summed in order. */
// @ts-ignore: decorator
@inline
function scalar(pa: usize, aCol: usize, pb: usize, bRow: usize, pc: usize, depth: i32, add: i32): void {
  let sum: f32 = 0;
  for (let p = 0; p < depth; p++) {
    sum += load<f32>(pa) * load<f32>(pb);
    pa += aCol;
    pb += bRow;
  }
  store<f32>(pc, add ? load<f32>(pc) + sum : sum);
}

// @ts-ignore: decorator
@inline
function store4(p: usize, v: v128, accumulate: i32): void {
  v128.store(p, accumulate ? f32x4.add(v128.load(p), v) : v);
}

// @ts-ignore: decorator
@inline
function store8(p: usize, v0: v128, v1: v128, accumulate: i32): void {
  store4(p, v0, accumulate);
  store4(p + 16, v1, accumulate);
}

/** out[cols×rows] = inᵀ for a row-major in[rows×cols] (used to turn A·Bᵀ into A·(Bᵀ)). */
export function transpose(input: usize, out: usize, rows: i32, cols: i32): void {
  // Blocks of 8×8 keep both sides in cache lines.
  for (let r0 = 0; r0 < rows; r0 += 8) {
    const r1 = min(r0 + 8, rows);
    for (let c0 = 0; c0 < cols; c0 += 8) {
      const c1 = min(c0 + 8, cols);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          store<f32>(out + ((<usize>c * rows + r) << 2), load<f32>(input + ((<usize>r * cols + c) << 2)));
        }
      }
    }
  }
}
