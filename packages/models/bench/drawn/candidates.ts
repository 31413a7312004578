// The cnn candidates for the drawing-robust model, as layer lists: their costs by arithmetic (the same
// `cnnLayerCosts` the shipped cnn's README figures come from); bench/cnn-model.ts builds them for training.
import { CNN_LAYERS, type CnnLayerSpec, cnnCostSummary } from '../../src/zoo/cnn.js';
import { COMPACT_CNN_LAYERS } from '../compact-cnn.js';

const conv = (
  name: string,
  filters: number,
  kernelSize: number,
  strides: number,
  padding: 'same' | 'valid',
) => ({ kind: 'conv2d', name, filters, kernelSize, strides, padding }) as const;
const flatten = { kind: 'flatten', name: 'flatten' } as const;
const output = { kind: 'dense', name: 'output', units: 10, activation: 'softmax' } as const;

/** A layer list with a 128-unit ReLU layer inserted before its output layer. */
function withHiddenDense(specs: readonly CnnLayerSpec[]): readonly CnnLayerSpec[] {
  return [
    ...specs.slice(0, -1),
    { kind: 'dense', name: 'hidden', units: 128, activation: 'relu' },
    ...specs.slice(-1),
  ];
}

/** The candidates, by name, with why each is on the list. */
export const CANDIDATES: Readonly<Record<string, { why: string; layers: readonly CnnLayerSpec[] }>> = {
  cnn: { why: 'the compact cnn shipped before (99.44%)', layers: COMPACT_CNN_LAYERS },
  'cnn-small': {
    why: 'under 20k parameters: two stride-2 stages of two 3×3 convolutions (16, then 24 filters), 16 at the end',
    layers: [
      conv('conv1', 16, 3, 1, 'same'),
      conv('conv2', 16, 3, 2, 'same'),
      conv('conv3', 24, 3, 1, 'same'),
      conv('conv4', 24, 3, 2, 'same'),
      conv('conv5', 16, 3, 1, 'valid'),
      flatten,
      output,
    ],
  },
  'cnn-deep': {
    why: 'the chosen one, shipped as `cnn` (CNN_LAYERS): the compact cnn with a full-resolution 3×3 layer first and one more at 7×7: more depth, same width',
    layers: CNN_LAYERS,
  },
  'cnn-dense': {
    why: 'the compact cnn with a 128-unit ReLU layer before the output (a cheap head with more capacity)',
    layers: withHiddenDense(COMPACT_CNN_LAYERS),
  },
  'cnn-deep-dense': {
    why: 'cnn-deep with a 128-unit ReLU layer before the output',
    layers: withHiddenDense(CNN_LAYERS),
  },
  'cnn-wide': {
    why: 'the widely reported 99.6–99.7% single-model layout (32C3-32C3-32C5S2-64C3-64C3-64C5S2-128C4), no BN/dropout',
    layers: [
      conv('conv1', 32, 3, 1, 'valid'),
      conv('conv2', 32, 3, 1, 'valid'),
      conv('conv3', 32, 5, 2, 'same'),
      conv('conv4', 64, 3, 1, 'valid'),
      conv('conv5', 64, 3, 1, 'valid'),
      conv('conv6', 64, 5, 2, 'same'),
      conv('conv7', 128, 4, 1, 'valid'),
      flatten,
      output,
    ],
  },
};

/** Parameters, inference FLOPs per image and training FLOPs per image (about 3× inference) of every candidate. */
export function candidateCosts() {
  return Object.entries(CANDIDATES).map(([name, { why, layers: specs }]) => {
    const cost = cnnCostSummary(specs);
    return {
      name,
      why,
      params: cost.params,
      mflops: cost.flopsPerImage / 1e6,
      trainMflops: (3 * cost.flopsPerImage) / 1e6,
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('| candidate | parameters | MFLOP / image (inference) | MFLOP / image (training, ≈3×) | why |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const c of candidateCosts()) {
    console.log(
      `| ${c.name} | ${c.params.toLocaleString('en-US')} | ${c.mflops.toFixed(2)} | ${c.trainMflops.toFixed(1)} | ${c.why} |`,
    );
  }
}
