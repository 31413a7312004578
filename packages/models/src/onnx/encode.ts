// The protobuf encoding of an ONNX model, by protobufjs: its minimal runtime (no `eval`, so pages with a strict
// Content-Security-Policy run it) and encoders that protobufjs's own generator wrote from the official onnx.proto
// (src/generated/onnx-proto.js, by scripts/build-onnx-proto.ts). Together 17 kB gzipped in a browser bundle
// (13 kB of it the runtime with long.js); the `onnx-proto` npm package would bring a 330 kB module with decoders,
// verifiers and converters for every ONNX message, on protobufjs 6. `toOnnx` imports this module on first use, so
// apps that never export do not load it.
import { onnx } from '../generated/onnx-proto.js';

/** The `.onnx` file of a model: its ModelProto's protobuf bytes. */
export function encodeModel(model: onnx.ModelProto.$Properties): Uint8Array<ArrayBuffer> {
  const bytes = onnx.ModelProto.encode(model).finish();
  // Node's protobufjs writer returns a Buffer: hand back a plain Uint8Array view of it, the same in every runtime.
  // Its memory is an ordinary ArrayBuffer (never shared), which Blob, fetch and crypto.subtle ask for.
  return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}
