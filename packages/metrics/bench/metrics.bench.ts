/**
 * `pnpm bench`: confusion matrix (and matrix + full classification report) against a plain `for` loop
 * that only counts pairs, for 10,000 and 10,000,000 predictions, in one process.
 *
 * Inputs are what an MNIST evaluation produces: true labels as a Uint8Array (the IDX label file) and
 * predictions as an Int32Array (`argMax(...).dataSync()`), 10 classes, ~97% accuracy. The three
 * contenders run interleaved, repeated, and each reports its median; small n repeats the call many
 * times per measurement so the clock's resolution does not matter.
 *
 * Time is this process's CPU time (user + system), not wall time: the machine may be shared, and CPU
 * time does not count the moments another process holds the core.
 */
import { cpus } from 'node:os';
import { classificationReport, confusionMatrix } from '../src/index';

const NUM_CLASSES = 10;
const SIZES = [10_000, 10_000_000];
const SAMPLES = 15;
/** Work per measurement, in elements, so every measurement takes a few milliseconds at least. */
const ELEMENTS_PER_MEASUREMENT = 20_000_000;

/** The baseline: count pairs, nothing else (no checks, no derived metrics). */
function plainLoop(yTrue: Uint8Array, yPred: Int32Array): Int32Array {
  const counts = new Int32Array(NUM_CLASSES * NUM_CLASSES);
  for (let i = 0; i < yTrue.length; i++) {
    const cell = (yTrue[i] as number) * NUM_CLASSES + (yPred[i] as number);
    counts[cell] = (counts[cell] as number) + 1;
  }
  return counts;
}

function matrixOnly(yTrue: Uint8Array, yPred: Int32Array): number {
  return confusionMatrix(yTrue, yPred, { numClasses: NUM_CLASSES }).accuracy;
}

function matrixAndReport(yTrue: Uint8Array, yPred: Int32Array): number {
  const matrix = confusionMatrix(yTrue, yPred, { numClasses: NUM_CLASSES });
  return classificationReport(matrix).length + matrix.macroAvg.f1;
}

/** Deterministic labels and ~97%-accurate predictions (a small LCG, so runs are comparable). */
function makeData(n: number): { yTrue: Uint8Array; yPred: Int32Array } {
  const yTrue = new Uint8Array(n);
  const yPred = new Int32Array(n);
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
  for (let i = 0; i < n; i++) {
    const label = next() % NUM_CLASSES;
    yTrue[i] = label;
    yPred[i] = next() % 100 < 97 ? label : next() % NUM_CLASSES;
  }
  return { yTrue, yPred };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

let sink = 0; // keeps results alive so no work is optimised away

const contenders = [
  ['plain for loop (baseline)', (t: Uint8Array, p: Int32Array) => plainLoop(t, p)[0] as number],
  ['confusionMatrix', matrixOnly],
  ['confusionMatrix + report', matrixAndReport],
] as const;

console.log(`@mnist/metrics bench: Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}`);
console.log(`${NUM_CLASSES} classes; CPU time, median of ${SAMPLES} interleaved measurements\n`);
console.log(
  `${'n'.padStart(11)}  ${'contender'.padEnd(27)}${'ms/call'.padStart(11)}${'ns/elem'.padStart(10)}${'vs loop'.padStart(10)}`,
);

const perElement = new Map<string, number[]>();
for (const n of SIZES) {
  const { yTrue, yPred } = makeData(n);
  const repeats = Math.max(1, Math.round(ELEMENTS_PER_MEASUREMENT / n));
  const times = contenders.map(() => [] as number[]);
  // Warm-up: let the JIT settle on every contender before measuring.
  for (const [, run] of contenders) for (let r = 0; r < Math.min(repeats, 50); r++) sink += run(yTrue, yPred);
  for (let sample = 0; sample < SAMPLES; sample++) {
    contenders.forEach(([, run], c) => {
      const start = process.cpuUsage();
      for (let r = 0; r < repeats; r++) sink += run(yTrue, yPred);
      const used = process.cpuUsage(start);
      (times[c] as number[]).push((used.user + used.system) / 1e3 / repeats);
    });
  }
  const baseline = median(times[0] as number[]);
  contenders.forEach(([name], c) => {
    const ms = median(times[c] as number[]);
    const ns = (ms * 1e6) / n;
    perElement.set(name, [...(perElement.get(name) ?? []), ns]);
    console.log(
      `${n.toLocaleString('en-US').padStart(11)}  ${name.padEnd(27)}${ms.toFixed(4).padStart(11)}${ns.toFixed(3).padStart(10)}${`${(ms / baseline).toFixed(2)}x`.padStart(10)}`,
    );
  });
  console.log();
}

console.log('Linearity: ns per element at 10,000,000 over ns per element at 10,000 (1.00 = perfectly linear)');
for (const [name, [small, large]] of perElement) {
  console.log(`  ${name.padEnd(27)}${((large as number) / (small as number)).toFixed(2)}`);
}
if (Number.isNaN(sink)) console.log('(unreachable)');
