import { version } from '../../package.json';
import { checkTemperature } from '../calibration/temperature.js';
import { MnistModelError } from '../errors.js';
import { crossEntropyOf, logitHead } from '../forward.js';
import { CLASSES, PIXELS, SIDE } from '../input.js';
import type { MnistModel } from '../model.js';
import { FLOAT, GraphBuilder } from './graph.js';
import { addOutputs, describeMath, OUTPUTS_NAME, PROBABILITIES_NAME, type ProbabilityMath } from './head.js';
import { type Converted, chainedLayers, convertLayer, type Flow } from './layers.js';

/**
 * The ONNX operator set the export targets. 13 is the oldest with everything used here in its present form
 * (Softmax over one axis, ReduceSum's axes as an input, Clip's bounds as inputs), run by every onnxruntime since
 * 1.6 (onnxruntime-web included) and by most other ONNX consumers; newer opsets would add nothing used here.
 */
export const ONNX_OPSET = 13;
/** The ONNX IR version that goes with opset 13 (ONNX 1.8). */
const IR_VERSION = 7;

/** The graph's input: pixels scaled to 0..1, `[N, 784]` for flat models, `[N, 28, 28, 1]` (NHWC) for image models. */
export const ONNX_INPUT_NAME = 'pixels';
/** The graph's outputs, both `[N, 10]`: what `predict` returns, and the network's raw outputs. */
export const ONNX_OUTPUT_NAMES = [PROBABILITIES_NAME, OUTPUTS_NAME] as const;

/** Options for {@link toOnnx}. */
export interface ToOnnxOptions {
  /**
   * Apply the model's `temperature` to `probabilities` (default true), as `predict` does. False gives the
   * probabilities at temperature 1, the network's own.
   */
  applyTemperature?: boolean;
}

/**
 * The model as an ONNX file (opset {@link ONNX_OPSET}), in memory: run it with onnxruntime (Python, C++, C#, Java,
 * onnxruntime-node, onnxruntime-web) or any ONNX runtime. Works in Node and in browsers.
 *
 * The graph takes `pixels`, float32 grey levels divided by 255 (0..1, white digit on black as in MNIST): `[N, 784]`
 * for a `flat` model, `[N, 28, 28, 1]` (NHWC, as tfjs) for an `image` model, N free. It gives `probabilities`
 * `[N, 10]`, what {@link predict} returns (the model's temperature applied unless `applyTemperature: false`), and
 * `outputs` `[N, 10]`, the network's raw outputs (`predict(model, images, { raw: true })`, Keras's `model.predict`).
 *
 * The tfjs network is converted layer by layer: Dense, Conv2D (TensorFlow's 'same' and 'valid' padding, strides,
 * dilation), MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape,
 * Activation, BatchNormalization (its inference form), and the layers that do nothing at inference (Dropout,
 * SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout), chained one after the other, with the
 * activations linear, relu, sigmoid, softmax and tanh. Weights are exported as they are; convolutions and pooling
 * run in NCHW between transposes, and Flatten flattens in NHWC order like tfjs.
 *
 * @returns the `.onnx` file's bytes
 * @throws MnistModelError `UNSUPPORTED` naming a layer, an activation or a setting it cannot convert and what it
 *   can; `WRONG_ARCHITECTURE` when the network does not take MNIST images or give 10 outputs; `BAD_INPUT` for a
 *   temperature that is not a number above 0
 */
export async function toOnnx(
  model: MnistModel,
  options: ToOnnxOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const network = model.layersModel;
  const inputShape: (number | null)[] = model.inputKind === 'flat' ? [null, PIXELS] : [null, SIDE, SIDE, 1];
  checkShape(network.inputs[0]?.shape, inputShape, `an ${model.inputKind} model's input`);
  checkShape(network.outputs[0]?.shape, [null, CLASSES], 'the output');
  // undefined: no temperature in the graph (none asked for, or 1).
  const temperature =
    options.applyTemperature === false || model.temperature === undefined || model.temperature === 1
      ? undefined
      : checkTemperature(model.temperature, 'model.temperature');
  const layers = chainedLayers(network);

  const graph = new GraphBuilder([ONNX_INPUT_NAME, ...ONNX_OUTPUT_NAMES]);
  let flow: Flow = { name: ONNX_INPUT_NAME, shape: inputShape, layout: 'NHWC' };
  let last: Converted = { output: flow };
  for (const layer of layers) {
    last = await convertLayer(graph, layer, flow);
    flow = last.output;
  }
  const math = probabilityMath(model);
  addOutputs(graph, last, math, temperature);

  const { encodeModel } = await import('./encode.js');
  return encodeModel({
    ir_version: IR_VERSION,
    opset_import: [{ version: ONNX_OPSET }], // the default domain, ai.onnx
    producer_name: '@mnist/models',
    producer_version: version,
    doc_string: describe(model, math, temperature),
    graph: {
      name: model.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [valueInfo(ONNX_INPUT_NAME, inputShape)],
      output: ONNX_OUTPUT_NAMES.map((name) => valueInfo(name, [null, CLASSES])),
    },
    metadata_props: Object.entries({
      'mnist.name': model.name,
      'mnist.input_kind': model.inputKind,
      'mnist.temperature': String(temperature ?? 1),
      'mnist.probabilities': describeMath(math, temperature),
    }).map(([key, value]) => ({ key, value })),
  });
}

/** Which probability math `predict` uses for this model (see {@link ProbabilityMath}): the one it decides by. */
function probabilityMath(model: MnistModel): ProbabilityMath {
  return crossEntropyOf(model) === 'logits' && logitHead(model) !== undefined ? 'logits' : 'normalised';
}

/** What the file's doc_string says: the model, the input's layout and scale, and what each output holds. */
function describe(model: MnistModel, math: ProbabilityMath, temperature: number | undefined): string {
  const input =
    model.inputKind === 'flat'
      ? `${ONNX_INPUT_NAME}: float32 [N, ${PIXELS}], each row a 28×28 image row by row`
      : `${ONNX_INPUT_NAME}: float32 [N, ${SIDE}, ${SIDE}, 1], NHWC`;
  const how = describeMath(math, temperature);
  return (
    `MNIST digit classifier '${model.name}' exported by @mnist/models ${version}. Input ${input}; grey levels ` +
    `divided by 255 (0..1), white digit on black as in MNIST. Outputs, both float32 [N, ${CLASSES}] for digits ` +
    `0-9: ${PROBABILITIES_NAME}, what @mnist/models' predict() returns (${how}); ${OUTPUTS_NAME}, the network's ` +
    "raw outputs (Keras's model.predict)."
  );
}

function checkShape(
  actual: readonly (number | null)[] | undefined,
  expected: (number | null)[],
  what: string,
): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new MnistModelError(
      'WRONG_ARCHITECTURE',
      `toOnnx: ${what} must have shape ${JSON.stringify(expected)}; the network has ${JSON.stringify(actual ?? null)}.`,
    );
  }
}

/** A float32 tensor's name and shape for the graph's inputs and outputs, the batch size left free as `N`. */
function valueInfo(name: string, shape: readonly (number | null)[]) {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: FLOAT,
        shape: { dim: shape.map((size) => (size === null ? { dim_param: 'N' } : { dim_value: size })) },
      },
    },
  };
}
