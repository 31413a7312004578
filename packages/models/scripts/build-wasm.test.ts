// The committed engine module and its layout are what the AssemblyScript sources compile to today (`pnpm build`
// does not regenerate them, so this is the stale-file guard CI runs), and the module is safe to instantiate on a
// shared memory from several threads: no data segments, no start function.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_LAYOUT_PATH, GENERATED_WASM_PATH, generatedSources } from './build-wasm.js';
import { ENGINE_WASM_SHARED, ENGINE_WASM_SINGLE } from '../src/generated/engine-wasm.js';

/** Section ids of a WebAssembly binary, in order. */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[at++] as number;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return value >>> 0;
  };
  while (at < bytes.length) {
    ids.push(bytes[at++] as number);
    // Read the size first: `at += leb()` would add it to the position from before the size's own bytes.
    const size = leb();
    at += size;
  }
  return ids;
}

describe('the generated engine module', () => {
  it('and its layout are byte-identical to a fresh compile of src/engine/assembly/ (else run `pnpm --filter @mnist/models build:wasm`)', {
    timeout: 240_000,
  }, async () => {
    const fresh = await generatedSources();
    expect(readFileSync(GENERATED_WASM_PATH, 'utf8')).toBe(fresh.wasm);
    expect(readFileSync(GENERATED_LAYOUT_PATH, 'utf8')).toBe(fresh.layout);
  });

  for (const [name, base64, shared] of [
    ['shared', ENGINE_WASM_SHARED, true],
    ['single', ENGINE_WASM_SINGLE, false],
  ] as const) {
    it(`${name}: valid, imports only its ${shared ? 'shared ' : ''}memory, no data segment or start function`, () => {
      const bytes = Buffer.from(base64, 'base64');
      expect(WebAssembly.validate(bytes)).toBe(true);
      const module = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      const ids = sectionIds(bytes);
      expect(ids).not.toContain(8); // start
      expect(ids).not.toContain(11); // data
      expect(ids).not.toContain(12); // data count
      const exports = WebAssembly.Module.exports(module).map((e) => e.name);
      expect(exports).toEqual(expect.arrayContaining(['trainStep', 'workerLoop', 'gemm', 'H_LAYERS']));
      // A shared module refuses an unshared memory, and the other way round.
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: !shared });
      expect(() => new WebAssembly.Instance(module, { env: { memory } })).toThrow();
    });
  }
});
