// The committed ONNX protobuf writer is what protobufjs's generator makes of the vendored onnx.proto today (a
// stale-code guard, as for the engine's WebAssembly).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_DTS, GENERATED_JS, generatedSources } from './build-onnx-proto.js';

describe('the generated ONNX protobuf writer', () => {
  it('is what `pnpm --filter @mnist/models build:onnx-proto` generates from scripts/onnx/onnx.proto', async () => {
    const { js, dts } = await generatedSources();
    expect(readFileSync(GENERATED_JS, 'utf8')).toBe(js);
    expect(readFileSync(GENERATED_DTS, 'utf8')).toBe(dts);
    // Encoders only: nothing that decodes, verifies or compiles code at run time.
    expect(js).not.toMatch(/\bdecode\b|\bverify\b|\bFunction\(|\beval\(/);
    expect(js).toContain('ModelProto.encode = function');
  });
});
