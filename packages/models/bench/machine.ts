// What a benchmark figure depends on besides our code: the CPU, its vector extensions and what the JavaScript
// runtime's WebAssembly can use. Printed at the top of every benchmark so that figures from machines of different
// kinds (128-bit lanes against AVX-512) are never compared as one.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';

/** The x86 extensions that decide how wide the reference frameworks' kernels run. */
const VECTOR_FLAGS = [
  'sse4_2',
  'avx',
  'avx2',
  'fma',
  'avx512f',
  'avx512bw',
  'avx512vl',
  'avx512_vnni',
] as const;

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  /** The vector extensions of {@link VECTOR_FLAGS} the CPU reports (Linux's /proc/cpuinfo; empty elsewhere). */
  vectorExtensions: string[];
  /** What this runtime's WebAssembly accepts. */
  wasm: { simd: boolean; relaxedSimd: boolean; threads: boolean };
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const V128_CONST_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

/** Type section: one type, () -> v128; function section: one function of that type. */
const V128_FUNCTION_TYPE = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00];

/** A module with one function of no arguments returning a v128 computed by `body` (which ends the function). */
function v128Function(body: number[]): Uint8Array<ArrayBuffer> {
  const code = [0x00, ...body, 0x0b];
  const codeSection = [0x0a, code.length + 2, 0x01, code.length, ...code];
  return Uint8Array.from([...HEADER, ...V128_FUNCTION_TYPE, ...codeSection]);
}

/** Whether the runtime validates each feature's smallest module (validation compiles nothing and runs nothing). */
export function wasmFeatures(): MachineInfo['wasm'] {
  const valid = (bytes: Uint8Array<ArrayBuffer>) => {
    try {
      return WebAssembly.validate(bytes);
    } catch {
      return false;
    }
  };
  return {
    simd: valid(v128Function(V128_CONST_ZERO)),
    // f32x4.relaxed_madd (0xfd 0x105) over three zero vectors.
    relaxedSimd: valid(
      v128Function([...V128_CONST_ZERO, ...V128_CONST_ZERO, ...V128_CONST_ZERO, 0xfd, 0x85, 0x02]),
    ),
    // A shared memory (flags 3: shared, with a maximum) and the SharedArrayBuffer to back it.
    threads:
      typeof SharedArrayBuffer === 'function' &&
      valid(Uint8Array.from([...HEADER, 0x05, 0x04, 0x01, 0x03, 0x01, 0x01])),
  };
}

/** The CPU's flags from /proc/cpuinfo, or none where that file does not exist. */
function cpuFlags(): Set<string> {
  try {
    const line = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
    return new Set(line.trim().split(/\s+/));
  } catch {
    return new Set();
  }
}

export function machineInfo(): MachineInfo {
  const flags = cpuFlags();
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    vectorExtensions: VECTOR_FLAGS.filter((flag) => flags.has(flag)),
    wasm: wasmFeatures(),
  };
}

/** One line for a benchmark's header. */
export function describeMachine(info: MachineInfo): string {
  const wasm = Object.entries(info.wasm)
    .filter(([, on]) => on)
    .map(([name]) => name)
    .join(', ');
  const vectors = info.vectorExtensions.length > 0 ? info.vectorExtensions.join(' ') : 'not reported';
  return `${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB; vector extensions: ${vectors}; Node ${info.node}, WebAssembly: ${wasm || 'no SIMD, no threads'}`;
}
