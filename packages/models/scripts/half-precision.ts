// Half-precision storage for shipped weights: the pretrained cnn is part of the web page's first download, and
// IEEE half precision halves its bytes at no measurable cost in accuracy (the manifest's figures are measured on
// the half-precision weights themselves). tfjs reads such weights natively: each spec keeps `dtype: 'float32'` and
// gains `quantization: { dtype: 'float16' }`, which `io.decodeWeights` (and so `loadModel`) expands on load.
import { setFloat16 } from '@petamoriken/float16';
import type { io } from '@tensorflow/tfjs-core';
import type { ModelJson } from '../src/io/artifacts.js';

/**
 * The same model with every float32 weight stored as float16 (round to nearest even, as the conversion library
 * does); weights of other dtypes, and weights already quantised, are copied unchanged.
 */
export function toHalfPrecision(
  modelJson: ModelJson,
  weights: ArrayBuffer,
): { modelJson: ModelJson; weights: ArrayBuffer } {
  const groups = modelJson.weightsManifest as io.WeightsManifestConfig;
  const input = new DataView(weights);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const manifest = groups.map((group) => ({
    ...group,
    weights: group.weights.map((spec) => {
      const values = spec.shape.reduce((a, b) => a * b, 1);
      if (spec.dtype !== 'float32' || spec.quantization !== undefined) {
        const bytes = spec.quantization !== undefined ? quantisedBytes(spec) : 4;
        chunks.push(new Uint8Array(weights, offset, values * bytes).slice());
        offset += values * bytes;
        return spec;
      }
      const half = new DataView(new ArrayBuffer(values * 2));
      for (let i = 0; i < values; i++) setFloat16(half, i * 2, input.getFloat32(offset + i * 4, true), true);
      offset += values * 4;
      chunks.push(new Uint8Array(half.buffer));
      return { ...spec, quantization: { dtype: 'float16' as const } };
    }),
  }));
  if (offset !== weights.byteLength) {
    throw new Error(`toHalfPrecision: the manifest covers ${offset} bytes of ${weights.byteLength}`);
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return { modelJson: { ...modelJson, weightsManifest: manifest }, weights: out.buffer };
}

function quantisedBytes(spec: io.WeightsManifestEntry): number {
  return spec.quantization?.dtype === 'uint8' ? 1 : 2;
}
