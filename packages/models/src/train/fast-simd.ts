// A tiny WebAssembly SIMD module, assembled here from its opcodes, that runs the fast path's element-wise
// loops directly on the tfjs wasm backend's heap (it imports that backend's `WebAssembly.Memory`).
// Why: the same loops in JavaScript over heap views cost ~10 ns per element (the mlp's Adam step alone
// was ~0.9 ms a batch); 4-wide SIMD without leaving the heap does them several times faster.
// Every function works on whole groups of 4 floats; callers finish the (at most 3) remaining ones.

/** The exported functions; pointers are byte offsets into the tfjs wasm heap. */
export interface SimdKernels {
  /**
   * Adam on `n4` floats (a multiple of 4): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
   * out ← value − lr·(m/c1)/(√(v/c2) + ε), in tfjs's operation order.
   */
  adam(
    value: number,
    m: number,
    v: number,
    g: number,
    out: number,
    n4: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    correction1: number,
    correction2: number,
    negLearningRate: number,
    epsilon: number,
  ): void;
  /** d[i] ← h[i] > 0 ? d[i] : 0 on `n4` floats (relu's gradient, given relu's output h). */
  reluMask(d: number, h: number, n4: number): void;
  /**
   * C[M×N] = A·B (+ bias) (then relu if `relu` ≠ 0), C and B row-major with N columns, A read through
   * byte strides (`aRowStride` between rows, `aColStride` between columns) so `A` may be a transposed
   * view. M and N must be multiples of 4; `bias` 0 means none. No packing of B: the point, since the
   * fast path's weights change every step and XNNPACK re-packs changed weights on every call.
   */
  gemm(
    a: number,
    aRowStride: number,
    aColStride: number,
    b: number,
    c: number,
    bias: number,
    m: number,
    n: number,
    k: number,
    relu: number,
  ): void;
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => vec([...text].map((c) => [c.charCodeAt(0)]));

// Instructions used below.
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32Const = (n: number) => [0x41, ...sleb(n)];
const I32_ADD = [0x6a];
const I32_GE_U = [0x4f];
const simd = (op: number) => [0xfd, ...uleb(op)];
const load = (offset = 0) => [...simd(0x00), 0x00, ...uleb(offset)];
const store = (offset = 0) => [...simd(0x0b), 0x00, ...uleb(offset)];
const SPLAT = simd(0x13);
const GT = simd(0x44);
const AND = simd(0x4e);
const MAX = simd(0xe9);
const I32_GT_U = [0x4b];
const I32_SHL = [0x74];
const I32_MUL = [0x6c];
const F32_LOAD = [0x2a, 0x02, 0x00];
const SELECT_V128 = [0x1c, 0x01, V128];
const V128_ZERO = [0xfd, ...uleb(0x0c), ...new Array(16).fill(0)];
const BR_IF = (depth: number) => [0x0d, depth];
const BR = (depth: number) => [0x0c, depth];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = [0x0b];
const SQRT = simd(0xe3);
const ADD = simd(0xe4);
const MUL = simd(0xe6);
const DIV = simd(0xe7);

/** `for (i = 0; i < n4*4 bytes; i += 16) body(i)`; `counter` is an i32 local, `limit` one holding n4*4. */
function loop16(counter: number, limit: number, body: number[]): number[] {
  // biome-ignore format: instructions are grouped by line as they would read in text format
  return [
    ...i32Const(0),
    ...set(counter),
    0x02, 0x40, // block
    0x03, 0x40, // loop
    ...get(counter), ...get(limit), ...I32_GE_U, 0x0d, 0x01, // br_if out of the block when done
    ...body,
    ...get(counter), ...i32Const(16), ...I32_ADD, ...set(counter),
    0x0c, 0x00, // br to the loop
    0x0b, // end loop
    0x0b, // end block
  ];
}

const at = (pointer: number, counter: number) => [...get(pointer), ...get(counter), ...I32_ADD];

function adamBody(): { params: number[]; locals: number[][]; code: number[] } {
  // params: value m v g out n4 | b1 omb1 b2 omb2 c1 c2 negLr eps
  const params = [I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32];
  const [value, m, v, g, out, n4] = [0, 1, 2, 3, 4, 5];
  // params 6..13 (β1, 1−β1, β2, 1−β2, c1, c2, −lr, ε) are splatted once into locals s(0)..s(7).
  // locals: i, bytes (i32); splatted constants (v128) ×8; gv, mv, vv (v128)
  const i = 14;
  const bytes = 15;
  const s = (k: number) => 16 + k; // splat of param 6+k
  const gv = 24;
  const mv = 25;
  const vv = 26;
  const splats: number[] = [];
  for (let k = 0; k < 8; k++) splats.push(...get(6 + k), ...SPLAT, ...set(s(k)));
  // biome-ignore format: instructions are grouped by line as they would read in text format
  const body = [
    ...at(g, i), ...load(), ...set(gv),
    // m = b1*m + omb1*g
    ...get(s(0)), ...at(m, i), ...load(), ...MUL, ...get(s(1)), ...get(gv), ...MUL, ...ADD, ...set(mv),
    // v = b2*v + omb2*(g*g)
    ...get(s(2)), ...at(v, i), ...load(), ...MUL, ...get(s(3)), ...get(gv), ...get(gv), ...MUL, ...MUL, ...ADD, ...set(vv),
    ...at(m, i), ...get(mv), ...store(),
    ...at(v, i), ...get(vv), ...store(),
    // out = value + negLr * ((m/c1) / (sqrt(v/c2) + eps))
    ...at(out, i),
    ...at(value, i), ...load(),
    ...get(s(6)),
    ...get(mv), ...get(s(4)), ...DIV,
    ...get(vv), ...get(s(5)), ...DIV, ...SQRT, ...get(s(7)), ...ADD,
    ...DIV, ...MUL, ...ADD,
    ...store(),
  ];
  const code = [
    ...get(n4),
    ...i32Const(4),
    0x6c /* i32.mul */,
    ...set(bytes),
    ...splats,
    ...loop16(i, bytes, body),
  ];
  return {
    params,
    locals: [
      [2, I32],
      [11, V128],
    ],
    code,
  };
}

function reluMaskBody(): { params: number[]; locals: number[][]; code: number[] } {
  const params = [I32, I32, I32];
  const [d, h, n4] = [0, 1, 2];
  const i = 3;
  const bytes = 4;
  const zero = 5;
  // biome-ignore format: instructions are grouped by line as they would read in text format
  const body = [
    ...at(d, i),
    ...at(d, i), ...load(),
    ...at(h, i), ...load(), ...get(zero), ...GT,
    ...AND,
    ...store(),
  ];
  // biome-ignore format: instructions are grouped by line as they would read in text format
  const code = [
    ...get(n4), ...i32Const(4), 0x6c, ...set(bytes),
    0xfd, ...uleb(0x0c), ...new Array(16).fill(0), ...set(zero), // v128.const 0
    ...loop16(i, bytes, body),
  ];
  return {
    params,
    locals: [
      [2, I32],
      [1, V128],
    ],
    code,
  };
}

function gemmBody(): { params: number[]; locals: number[][]; code: number[] } {
  const params = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32];
  const [a, aRow, aCol, b, c, bias, m, n, kCount, relu] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [r, j, k, paK, pbK, ldb, aRow2, aRow3, pc, rowBase] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const acc = (q: number) => 20 + q; // 8 accumulators: row q>>1, half q&1
  const [b0, b1, t, zero] = [28, 29, 30, 31];
  const add = (...parts: number[][]) => [
    ...(parts[0] as number[]),
    ...parts.slice(1).flatMap((p) => [...p, ...I32_ADD]),
  ];
  // One column block of `halves` vectors (2 = 8 columns, 1 = 4 columns) for rows r..r+3.
  const block = (halves: 1 | 2): number[] => {
    const init: number[] = [];
    for (let q = 0; q < 4; q++) {
      for (let h = 0; h < halves; h++) {
        // acc = bias ? bias[j + 4h] : 0 (bias is never read when absent: select keeps zero)
        init.push(
          ...add(get(bias), get(j)),
          ...load(16 * h),
          ...get(zero),
          ...get(bias),
          ...SELECT_V128,
          ...set(acc(2 * q + h)),
        );
      }
    }
    const rowTerms: number[] = [];
    const rowOffsets = [[], get(aRow), get(aRow2), get(aRow3)];
    for (let q = 0; q < 4; q++) {
      rowTerms.push(
        ...(q === 0 ? get(paK) : add(get(paK), rowOffsets[q] as number[])),
        ...F32_LOAD,
        ...SPLAT,
        ...set(t),
      );
      for (let h = 0; h < halves; h++) {
        const acci = acc(2 * q + h);
        rowTerms.push(...get(acci), ...get(t), ...get(h === 0 ? b0 : b1), ...MUL, ...ADD, ...set(acci));
      }
    }
    const store: number[] = [];
    for (let q = 0; q < 4; q++) {
      for (let h = 0; h < halves; h++) {
        const address = add(get(pc), get(j), ...Array.from({ length: q }, () => get(ldb)));
        const value = get(acc(2 * q + h));
        // relu ? max(v, 0) : v
        store.push(
          ...address,
          ...value,
          ...get(zero),
          ...MAX,
          ...value,
          ...get(relu),
          ...SELECT_V128,
          ...store16(h),
        );
      }
    }
    // biome-ignore format: instructions are grouped by line as they would read in text format
    return [
      ...init,
      ...get(rowBase), ...set(paK),
      ...add(get(b), get(j)), ...set(pbK),
      ...i32Const(0), ...set(k),
      ...BLOCK, ...LOOP,
      ...get(k), ...get(kCount), ...I32_GE_U, ...BR_IF(1),
      ...get(pbK), ...load(0), ...set(b0),
      ...(halves === 2 ? [...get(pbK), ...load(16), ...set(b1)] : []),
      ...rowTerms,
      ...add(get(paK), get(aCol)), ...set(paK),
      ...add(get(pbK), get(ldb)), ...set(pbK),
      ...add(get(k), i32Const(1)), ...set(k),
      ...BR(0), ...END, ...END,
      ...store,
    ];
  };
  const store16 = (h: number) => store(16 * h);
  // biome-ignore format: instructions are grouped by line as they would read in text format
  const code = [
    ...get(n), ...i32Const(2), ...I32_SHL, ...set(ldb),
    ...get(aRow), ...i32Const(1), ...I32_SHL, ...set(aRow2),
    ...add(get(aRow2), get(aRow)), ...set(aRow3),
    ...V128_ZERO, ...set(zero),
    ...i32Const(0), ...set(r),
    ...BLOCK, ...LOOP,
    ...get(r), ...get(m), ...I32_GE_U, ...BR_IF(1),
    ...get(a), ...get(r), ...get(aRow), ...I32_MUL, ...I32_ADD, ...set(rowBase),
    ...get(c), ...get(r), ...get(ldb), ...I32_MUL, ...I32_ADD, ...set(pc),
    ...i32Const(0), ...set(j),
    // 8-column blocks while j + 32 bytes fit in the row
    ...BLOCK, ...LOOP,
    ...add(get(j), i32Const(32)), ...get(ldb), ...I32_GT_U, ...BR_IF(1),
    ...block(2),
    ...add(get(j), i32Const(32)), ...set(j),
    ...BR(0), ...END, ...END,
    // one 4-column block if 16 bytes are left
    ...BLOCK,
    ...add(get(j), i32Const(16)), ...get(ldb), ...I32_GT_U, ...BR_IF(0),
    ...block(1),
    ...END,
    ...add(get(r), i32Const(4)), ...set(r),
    ...BR(0), ...END, ...END,
  ];
  return {
    params,
    locals: [
      [10, I32],
      [12, V128],
    ],
    code,
  };
}

/** The module's bytes: imports `env.memory`, exports `adam` and `reluMask`. */
export function simdModuleBytes(): Uint8Array<ArrayBuffer> {
  const functions = [adamBody(), reluMaskBody(), gemmBody()];
  const types = functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0x00]);
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]]; // memory, min 1 page, no max
  const exportsList = [
    [...name('adam'), 0x00, 0x00],
    [...name('reluMask'), 0x00, 0x01],
    [...name('gemm'), 0x00, 0x02],
  ];
  const bodies = functions.map((f) => {
    const body = [...vec(f.locals), ...f.code, 0x0b];
    return [...uleb(body.length), ...body];
  });
  // biome-ignore format: the module header reads best on one line
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(functions.map((_, k) => uleb(k)))),
    ...section(7, vec(exportsList)),
    ...section(10, vec(bodies)),
  ]);
}

/**
 * Instantiates the SIMD kernels on `memory` (the tfjs wasm backend's heap), or returns `undefined` when
 * this runtime has no WebAssembly SIMD (callers then use their JavaScript loops).
 */
export function instantiateSimdKernels(memory: WebAssembly.Memory): SimdKernels | undefined {
  const bytes = simdModuleBytes();
  if (!WebAssembly.validate(bytes)) return undefined;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}
