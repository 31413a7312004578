import { KERAS_EPSILON } from '../loss.js';
import type { GraphBuilder } from './graph.js';
import { type Converted, inLayout } from './layers.js';

/** The graph's two outputs. */
export const OUTPUTS_NAME = 'outputs';
export const PROBABILITIES_NAME = 'probabilities';

/**
 * How the probabilities are read from the network, as `predict` reads them (`classProbabilities`):
 * - `logits` (the `logits` cross-entropy form, a sigmoid or softmax output layer): softmax(z / T) of the output
 *   layer's pre-activation z;
 * - `normalised` (the `probabilities` form, or no such output layer): the outputs clipped to [ε, 1 − ε] (ε = 1e-7,
 *   Keras's), scaled to sum 1, then at T ≠ 1 softmax(log p / T).
 */
export type ProbabilityMath = 'logits' | 'normalised';

/** What {@link ProbabilityMath} computes, in words, for the file's doc_string and metadata. */
export function describeMath(math: ProbabilityMath, temperature: number | undefined): string {
  if (math === 'logits') {
    return `softmax(z${temperature === undefined ? '' : ` / ${temperature}`}), z the output layer's logits`;
  }
  const normalised = 'p = clip(outputs, 1e-7, 1 - 1e-7) / row sum';
  return temperature === undefined ? normalised : `softmax(log(p) / ${temperature}), ${normalised}`;
}

/**
 * Adds the graph outputs after the last layer: `outputs`, what the network gives (Keras's `model.predict`), and
 * `probabilities`, what `predict` gives, at `temperature` (undefined: none).
 */
export function addOutputs(
  graph: GraphBuilder,
  last: Converted,
  math: ProbabilityMath,
  temperature: number | undefined,
): void {
  const outputs = inLayout(graph, last.output, 'NHWC').name;
  graph.node('Identity', [outputs], OUTPUTS_NAME, {}, OUTPUTS_NAME);
  const divide = (x: string) =>
    temperature === undefined
      ? x
      : graph.node('Div', [x, graph.scalar('temperature', temperature)], 'temperature');
  if (math === 'logits') {
    const { activation } = last;
    if (activation === undefined || (activation.name !== 'sigmoid' && activation.name !== 'softmax')) {
      throw new Error('addOutputs: logits asked of a last layer without a sigmoid or softmax');
    }
    const z = inLayout(graph, activation.input, 'NHWC').name;
    graph.node('Softmax', [divide(z)], PROBABILITIES_NAME, { axis: -1 }, PROBABILITIES_NAME);
    return;
  }
  const low = graph.scalar('epsilon', KERAS_EPSILON);
  const high = graph.scalar('one_minus_epsilon', 1 - KERAS_EPSILON);
  const clipped = graph.node('Clip', [outputs, low, high], 'normalise');
  const sum = graph.node('ReduceSum', [clipped, graph.int64s('class_axis', [1], [-1])], 'normalise', {
    keepdims: 1,
  });
  if (temperature === undefined) {
    graph.node('Div', [clipped, sum], 'normalise', {}, PROBABILITIES_NAME);
    return;
  }
  const normalised = graph.node('Div', [clipped, sum], 'normalise');
  const logarithm = graph.node('Log', [normalised], 'temperature');
  graph.node('Softmax', [divide(logarithm)], PROBABILITIES_NAME, { axis: -1 }, PROBABILITIES_NAME);
}
