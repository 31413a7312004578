import type { onnx } from '../generated/onnx-proto.js';

/** ONNX's element type codes (`TensorProto.DataType`) for the two we write. */
export const FLOAT = 1;
export const INT64 = 7;

/** An attribute value as the exporter passes it: one int, one float, or a list of ints. */
export type AttributeValue = number | readonly number[] | { float: number };

/**
 * The graph being built: nodes in execution order, weights as initializers, and unique tensor names. Plain objects
 * shaped like the generated `onnx` message types; encoding them is `encode.ts`'s job.
 */
export class GraphBuilder {
  readonly nodes: onnx.NodeProto.$Properties[] = [];
  readonly initializers: onnx.TensorProto.$Properties[] = [];
  private readonly names: Set<string>;
  private readonly scalars = new Map<string, string>();

  /** @param reserved - the graph's input and output names, which no other tensor may take */
  constructor(reserved: readonly string[]) {
    this.names = new Set(reserved);
  }

  /** `base`, or `base_1`, `base_2`… when taken: tensor and node names must be unique in a graph. */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds one node and returns the name of its (single) output: `output` (a reserved name) or a fresh one. */
  node(
    opType: string,
    inputs: readonly string[],
    name: string,
    attributes: Readonly<Record<string, AttributeValue>> = {},
    output?: string,
  ): string {
    const result = output ?? this.uniqueName(name);
    this.nodes.push({
      op_type: opType,
      name: this.uniqueName(`${name}/${opType}`),
      input: [...inputs],
      output: [result],
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return result;
  }

  /** A float32 initializer (a weight or a constant) of the given shape; returns its name. */
  floats(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    const unique = this.uniqueName(name);
    this.initializers.push({
      name: unique,
      data_type: FLOAT,
      dims: [...dims],
      float_data: Array.from(values),
    });
    return unique;
  }

  /** A float32 scalar constant, written once however often it is asked for; returns its name. */
  scalar(name: string, value: number): string {
    const key = `${name}=${value}`;
    let unique = this.scalars.get(key);
    if (unique === undefined) {
      unique = this.floats(name, [], [value]);
      this.scalars.set(key, unique);
    }
    return unique;
  }

  /** An int64 initializer (shapes, axes); returns its name. */
  int64s(name: string, dims: readonly number[], values: readonly number[]): string {
    const unique = this.uniqueName(name);
    this.initializers.push({ name: unique, data_type: INT64, dims: [...dims], int64_data: [...values] });
    return unique;
  }
}

/** ONNX's `AttributeProto.AttributeType` codes for the three kinds {@link AttributeValue} covers. */
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

function attribute(name: string, value: AttributeValue): onnx.AttributeProto.$Properties {
  if (typeof value === 'number') return { name, type: ATTRIBUTE_INT, i: value };
  if ('float' in value) return { name, type: ATTRIBUTE_FLOAT, f: value.float };
  return { name, type: ATTRIBUTE_INTS, ints: [...value] };
}
