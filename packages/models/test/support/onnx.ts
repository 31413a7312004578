// Running and reading exported ONNX files in tests: onnxruntime-node for the numbers, and a protobufjs decoder
// loaded from the same onnx.proto the exporter's encoder was generated from, for what the file says about itself.
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import protobuf from 'protobufjs';
import type { InputKind } from '../../src/node.js';

/** What the graph gives for a batch of images. */
export interface OnnxRun {
  probabilities: Float32Array;
  outputs: Float32Array;
}

/** Runs an exported model in onnxruntime-node on `count` images of 784 bytes, scaled ÷255 as `predict` does. */
export async function runOnnx(bytes: Uint8Array, images: Uint8Array, kind: InputKind): Promise<OnnxRun> {
  const count = images.length / 784;
  const session = await ort.InferenceSession.create(bytes);
  try {
    const pixels = Float32Array.from(images, (value) => value / 255);
    const shape = kind === 'flat' ? [count, 784] : [count, 28, 28, 1];
    const result = await session.run({ pixels: new ort.Tensor('float32', pixels, shape) });
    return {
      probabilities: result.probabilities?.data as Float32Array,
      outputs: result.outputs?.data as Float32Array,
    };
  } finally {
    await session.release();
  }
}

/** The largest absolute difference between two arrays of the same length. */
export function largestDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/** The most probable class of each row of 10. */
export function argMaxRows(rows: Float32Array): number[] {
  const out: number[] = [];
  for (let row = 0; row < rows.length; row += 10) {
    let best = 0;
    for (let c = 1; c < 10; c++) if ((rows[row + c] as number) > (rows[row + best] as number)) best = c;
    out.push(best);
  }
  return out;
}

const root = protobuf.loadSync(fileURLToPath(new URL('../../scripts/onnx/onnx.proto', import.meta.url)));
const ModelProto = root.lookupType('onnx.ModelProto');

/** The ModelProto in a `.onnx` file as plain data (fields camel-cased by protobufjs, 64-bit integers as numbers). */
export function decodeOnnx(bytes: Uint8Array): DecodedModel {
  return ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, defaults: false }) as DecodedModel;
}

/** The parts of a decoded ModelProto the tests read. */
export interface DecodedModel {
  irVersion: number;
  opsetImport: { domain?: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString: string;
  metadataProps: { key: string; value: string }[];
  graph: {
    name: string;
    node: { opType: string; input: string[]; output: string[] }[];
    input: ValueInfo[];
    output: ValueInfo[];
  };
}

interface ValueInfo {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: { dimValue?: number; dimParam?: string }[] } } };
}
