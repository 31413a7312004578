// Where one training step of the wasm engine spends its time, kernel by kernel, for the `cnn` at batch 64 on one
// thread (the shapes a real step runs), with FLOPs and GFLOP/s per kernel; then whole steps on 1 and 2 threads.
// CPU time of the process is reported next to wall time: on a shared machine it is the fairer figure.
//
//   node --import tsx --conditions=@mnist/source bench/tutorial/engine-profile.ts [--model cnn|mlp] [--steps 30]
import { parseArgs } from 'node:util';
import { loadMnist } from '@mnist/data';
import { engineNetwork } from '../../src/engine/index.js';
import { layerDims } from '../../src/engine/layout.js';
import { createModel, initBackend } from '../../src/node.js';
import { trainingStepFor } from '../../src/train/choose-step.js';
import { kernelBench } from '../../test/support/engine.js';
import { scriptArgs, wholeNumber } from '../../scripts/flags.js';

const { values } = parseArgs({
  args: scriptArgs(),
  options: { model: { type: 'string', default: 'cnn' }, steps: { type: 'string', default: '30' } },
});
const name = values.model as 'cnn' | 'mlp' | 'simple';
const steps = wholeNumber('steps', values.steps, 1);
await initBackend('wasm', { log: false });
const model = createModel(name, { seed: 1 });
const batch = model.recipe.batchSize;
const network = engineNetwork(model.layersModel);
if (network === undefined) throw new Error(`${name} is not an engine network`);

/** Runs `fn` until ~`budget` ms of CPU have passed; returns µs per call (wall and CPU). */
function time(fn: () => void, budget = 300): { wall: number; cpu: number } {
  fn();
  let calls = 0;
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  let cpu = 0;
  while (cpu < budget * 1000) {
    fn();
    calls++;
    const used = process.cpuUsage(cpu0);
    cpu = used.user + used.system;
  }
  return { wall: ((performance.now() - wall0) * 1000) / calls, cpu: cpu / calls };
}

const k = await kernelBench(256);
const random = () => Math.random() - 0.5;
const rows: { op: string; flops: number; wall: number; cpu: number }[] = [];
let input = k.floats(Float32Array.from({ length: batch * 784 }, Math.random));
for (const [index, layer] of network.layers.entries()) {
  const { rows: perSample, depth } = layerDims(layer);
  const units = layer.output[2];
  const m = perSample * batch;
  const w = k.floats(Float32Array.from({ length: depth * units }, random));
  const y = k.reserve(m * units);
  const dy = k.floats(Float32Array.from({ length: m * units }, random));
  const dw = k.reserve(depth * units);
  const label = `${layer.kind}${index + 1}`;
  let a = input;
  let shape = 0;
  if (layer.kind === 'conv') {
    const [kh, kw] = layer.kernel as [number, number];
    shape = k.ints([
      ...layer.input,
      ...layer.output,
      kh,
      kw,
      layer.stride ?? 1,
      layer.padTop ?? 0,
      layer.padLeft ?? 0,
    ]);
    a = k.reserve(m * depth);
    rows.push({ op: `${label} im2col`, flops: 0, ...time(() => k.exports.im2col(input, a, batch, shape)) });
  }
  const product = 2 * m * depth * units;
  rows.push({
    op: `${label} forward gemm ${m}×${depth}·${depth}×${units}`,
    flops: product,
    ...time(() => k.exports.gemm(a, depth, 1, w, units, y, units, m, units, depth, 0)),
  });
  rows.push({
    op: `${label} bias+relu`,
    flops: 2 * m * units,
    ...time(() => k.exports.biasActivation(y, w, m, units, 1)),
  });
  rows.push({
    op: `${label} dW gemm aᵀ·dy`,
    flops: product,
    ...time(() => k.exports.gemm(a, 1, depth, dy, units, dw, units, depth, units, m, 0)),
  });
  rows.push({
    op: `${label} relu' + db`,
    flops: 2 * m * units,
    ...time(() => {
      k.exports.reluBackward(dy, y, m * units);
      k.exports.columnSums(dy, m, units, dw);
    }),
  });
  if (index > 0) {
    const wt = k.reserve(depth * units);
    const dcols = k.reserve(m * depth);
    rows.push({
      op: `${label} transpose W`,
      flops: 0,
      ...time(() => k.exports.transpose(w, wt, depth, units)),
    });
    rows.push({
      op: `${label} dX gemm dy·Wᵀ`,
      flops: product,
      ...time(() => k.exports.gemm(dy, units, 1, wt, depth, dcols, depth, m, depth, units, 0)),
    });
    if (layer.kind === 'conv') {
      const dx = k.reserve(batch * layer.input[0] * layer.input[1] * layer.input[2]);
      rows.push({
        op: `${label} col2im`,
        flops: 0,
        ...time(() => k.exports.col2im(dcols, dx, batch, shape)),
      });
    }
  }
  input = y;
}
const params = network.parameterCount;
const p = k.floats(new Float32Array(params));
const mm = k.reserve(params);
const vv = k.reserve(params);
const g = k.floats(Float32Array.from({ length: params }, random));
const hyper = k.floats([0.001, 0.9, 0.999, 1e-7, 0.1, 0.001]);
rows.push({
  op: 'adam',
  flops: 0,
  ...time(() => k.exports.adamUpdate(p, mm, vv, g, 0, 1, 0, params, hyper)),
});

// An idealised product at the same k as conv3 (B panel in L1), for the kernel's attainable rate.
const [pm, pn, pk] = [256, 64, 576];
const pa = k.floats(Float32Array.from({ length: pm * pk }, random));
const pb = k.floats(Float32Array.from({ length: pk * pn }, random));
const pc = k.reserve(pm * pn);
const peak = time(() => k.exports.gemm(pa, pk, 1, pb, pn, pc, pn, pm, pn, pk, 0), 500);

const total = rows.reduce((s, r) => s + r.cpu, 0);
const flops = rows.reduce((s, r) => s + r.flops, 0);
console.log(
  `${name}, batch ${batch}, one thread, kernels timed alone (µs per call; CPU time of the process):`,
);
for (const r of rows) {
  console.log(
    `${r.op.padEnd(44)} ${r.cpu.toFixed(0).padStart(7)} µs cpu ${r.wall.toFixed(0).padStart(7)} µs wall ${((100 * r.cpu) / total).toFixed(1).padStart(5)}%` +
      (r.flops > 0 ? `  ${(r.flops / r.cpu / 1000).toFixed(1).padStart(5)} GFLOP/s` : ''),
  );
}
console.log(
  `sum of kernels: ${(total / 1000).toFixed(2)} ms cpu, ${(flops / 1e6).toFixed(0)} MFLOP → ${(flops / total / 1000).toFixed(1)} GFLOP/s`,
);
console.log(
  `gemm ${pm}×${pk}·${pk}×${pn} alone: ${((2 * pm * pn * pk) / peak.cpu / 1000).toFixed(1)} GFLOP/s (cpu time)`,
);

const data = await loadMnist({ download: false });
const set = data.train.take(batch * (steps + 5));
for (const threads of [1, 2]) {
  const step = await trainingStepFor(model, set, {
    batchSize: batch,
    maxShift: model.recipe.maxShift ?? 0,
    crossEntropy: 'logits',
    engine: 'wasm',
    threads,
  });
  step.beginEpoch({
    order: Uint32Array.from({ length: set.count }, (_, i) => i),
    learningRate: 0.001,
    augmentSeed: 1,
  });
  for (let i = 0; i < 5; i++) step.run(i * batch, batch);
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 5; i < steps + 5; i++) step.run(i * batch, batch);
  const wall = (performance.now() - wall0) / steps;
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / 1000 / steps;
  step.dispose();
  console.log(
    `whole step, ${threads} thread(s): ${wall.toFixed(2)} ms wall, ${cpu.toFixed(2)} ms cpu (all threads) → ${((batch / wall) * 1000).toFixed(0)} samples/s, ${(flops / wall / 1e6).toFixed(1)} GFLOP/s`,
  );
}
model.layersModel.dispose();
