import { AUGMENT_PARAMS_LENGTH } from '../augment/params.js';
import * as layout from '../generated/engine-layout.js';
import { ENGINE_MAXIMUM_PAGES, ENGINE_WASM_SHARED, ENGINE_WASM_SINGLE } from '../generated/engine-wasm.js';

/** The engine module's exported functions (pointers are byte offsets into its memory). */
export interface EngineExports {
  trainStep(plan: number, canBlock: number): number;
  forwardBackward(plan: number, thread: number): void;
  update(plan: number, thread: number): void;
  workerLoop(plan: number, thread: number, generation: number): void;
  gemm(
    a: number,
    rowStride: number,
    colStride: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
    accumulate: number,
  ): void;
  transpose(input: number, out: number, rows: number, cols: number): void;
  im2col(x: number, cols: number, n: number, shape: number): void;
  col2im(dcols: number, dx: number, n: number, shape: number): void;
  biasActivation(y: number, bias: number, rows: number, cols: number, relu: number): void;
  reluBackward(d: number, h: number, count: number): void;
  columnSums(d: number, rows: number, cols: number, out: number): void;
  outputGradient(
    logits: number,
    labels: number,
    rows: number,
    classes: number,
    activation: number,
    form: number,
    epsilon: number,
    scale: number,
    dLogits: number,
    stats: number,
    scratch: number,
  ): void;
  adamUpdate(
    params: number,
    m: number,
    v: number,
    grads: number,
    stride: number,
    buffers: number,
    start: number,
    end: number,
    hyper: number,
  ): void;
  gatherBatch(
    images: number,
    labels: number,
    order: number,
    first: number,
    count: number,
    maxShift: number,
    epochSeed: number,
    x: number,
    labelsOut: number,
    augmentParams: number,
    augmentEpochSeed: number,
    scratch: number,
  ): void;
  sampleSeed(epochSeed: number, position: number): number;
  augmentImage(src: number, dst: number, seed: number, params: number, scratch: number): void;
  augmentSeed(epochSeed: number, index: number): number;
}

/** A compiled engine module and how to instantiate it. */
export interface EngineModule {
  module: WebAssembly.Module;
  /** Whether it imports a shared memory (and so can run on several threads). */
  shared: boolean;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const compiled = new Map<boolean, Promise<WebAssembly.Module | undefined>>();

/**
 * The engine module, compiled once per process: the shared-memory build when `shared`, else the single-thread
 * one. `undefined` when this WebAssembly lacks what the module needs (SIMD; atomics for the shared build).
 */
export function engineModule(shared: boolean): Promise<WebAssembly.Module | undefined> {
  let module = compiled.get(shared);
  if (module === undefined) {
    const bytes = decode(shared ? ENGINE_WASM_SHARED : ENGINE_WASM_SINGLE);
    module =
      typeof WebAssembly === 'object' && WebAssembly.validate(bytes)
        ? WebAssembly.compile(bytes).catch(() => undefined)
        : Promise.resolve(undefined);
    compiled.set(shared, module);
  }
  return module;
}

/** Whether shared memory works here: always in Node, in browsers only on cross-origin isolated pages. */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/** A memory for the engine of `bytes` bytes (rounded up to pages), shared or not. */
export function engineMemory(bytes: number, shared: boolean): WebAssembly.Memory {
  const pages = Math.ceil(bytes / 65536);
  if (pages > ENGINE_MAXIMUM_PAGES) {
    throw new RangeError(
      `the training engine needs ${Math.ceil(bytes / 2 ** 20)} MiB, more than its ${ENGINE_MAXIMUM_PAGES / 16} MiB limit`,
    );
  }
  // Sized once for the whole run: the memory never grows, so views of it never go stale.
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
}

/** The constants of the generated layout, by the name the module exports them under. */
function layoutByExportName(): Map<string, number> {
  const byName = new Map<string, number>();
  for (const [name, value] of Object.entries(layout)) {
    if (typeof value === 'number') byName.set(name, value);
  }
  for (const [group, prefix] of [
    [layout.PLAN_SLOT, 'H_'],
    [layout.LAYER_SLOT, 'L_'],
    [layout.ADAM_SLOT, 'ADAM_'],
  ] as const) {
    for (const [key, value] of Object.entries(group)) byName.set(prefix + key, value);
  }
  return byName;
}

/**
 * Instantiates the module on a memory and returns its functions. The module's exported constants must be the
 * generated layout's, one for one: a module and a layout from different builds would write and read different slots.
 */
export function instantiateEngine(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): { exports: EngineExports } {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const expected = layoutByExportName();
  for (const [name, value] of Object.entries(instance.exports)) {
    if (!(value instanceof WebAssembly.Global)) continue;
    if (expected.get(name) !== Number(value.value)) {
      throw new Error(
        `the training engine's module has ${name} = ${Number(value.value)}, its generated layout ${expected.get(name)}: ` +
          'rebuild both (pnpm --filter @mnist/models build:wasm)',
      );
    }
    expected.delete(name);
  }
  if (expected.size > 0) {
    throw new Error(`the training engine's module lacks ${[...expected.keys()].join(', ')}: rebuild it`);
  }
  // The host packs the augmentation parameters into header slots the module reads: both must count the same.
  if (layout.AUGMENT_PARAMS_LENGTH !== AUGMENT_PARAMS_LENGTH) {
    throw new Error(
      `the training engine reads ${layout.AUGMENT_PARAMS_LENGTH} augmentation parameters, the host packs ${AUGMENT_PARAMS_LENGTH}`,
    );
  }
  return { exports: instance.exports as unknown as EngineExports };
}
