// Benchmark: load + verify the full MNIST training and test sets, against a bare zlib.gunzipSync of the same four
// files measured in the same run; then the peak memory of a fresh process that loads the data.
//
//   pnpm bench            (node --expose-gc --import tsx bench/load.bench.ts)
//
// Data: found as the tests find it (MNIST_DATA_DIR, then @mnist/data's own search order), as .gz files.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { findMnist, gzippedDir } from '@mnist/test-support';
import { DATASETS, FILE_ROLES, loadMnist } from '../src/node.js';

const ROUNDS = 7;
const argument = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const childMode = argument('child');
// The children get the folder as an argument: finding it loads MNIST, which would count in their peak memory.
const dataDir =
  argument('dir') ??
  gzippedDir(
    (await findMnist(loadMnist)).dir,
    FILE_ROLES.map((role) => DATASETS.mnist.files[role]),
  );
const gzPaths = FILE_ROLES.map((role) => join(dataDir, `${DATASETS.mnist.files[role]}.gz`));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function child(mode: string): Promise<void> {
  // A fresh process, so peak RSS reflects only this workload.
  const before = process.memoryUsage().rss;
  let bytes = 0;
  if (mode === 'load') {
    const data = await loadMnist({ dir: dataDir, sources: ['dir'] });
    bytes = data.train.images.byteLength + data.test.images.byteLength + data.train.count + data.test.count;
  } else if (mode === 'gunzip') {
    const kept = gzPaths.map((path) => gunzipSync(readFileSync(path)));
    bytes = kept.reduce((sum, b) => sum + b.byteLength, 0);
  }
  gc();
  const after = process.memoryUsage();
  const peak = peakRss();
  process.stdout.write(JSON.stringify({ before, rss: after.rss, peak, bytes }));
}

/**
 * This process's peak resident memory. On Linux, VmHWM of the current address space: getrusage's maxRSS would also
 * count the parent's memory at fork time (Linux carries it over across exec).
 */
function peakRss(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return process.resourceUsage().maxRSS * 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const baseline = (): number => {
    const start = performance.now();
    for (const path of gzPaths) gunzipSync(readFileSync(path));
    return performance.now() - start;
  };
  const ours = async (): Promise<number> => {
    const start = performance.now();
    await loadMnist({ dir: dataDir, sources: ['dir'] });
    return performance.now() - start;
  };
  const fromPackage = async (): Promise<number> => {
    const start = performance.now();
    await loadMnist({ sources: ['package'] });
    return performance.now() - start;
  };

  // Warm up (JIT, file cache), then interleave so machine load affects both alike.
  baseline();
  await ours();
  const times = {
    baseline: [] as number[],
    ours: [] as number[],
    ratio: [] as number[],
    pkg: [] as number[],
  };
  for (let round = 0; round < ROUNDS; round++) {
    gc();
    const b = baseline();
    gc();
    const o = await ours();
    gc();
    times.pkg.push(await fromPackage());
    times.baseline.push(b);
    times.ours.push(o);
    times.ratio.push(o / b);
  }

  const self = fileURLToPath(import.meta.url);
  const run = (mode: string) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', self, `--child=${mode}`, `--dir=${dataDir}`],
        {
          encoding: 'utf8',
        },
      ),
    ) as { before: number; rss: number; peak: number; bytes: number };
  const idle = run('idle');
  const load = run('load');
  const gunzip = run('gunzip');

  const ratio = median(times.ratio);
  console.log(`@mnist/data load benchmark (${ROUNDS} rounds, medians; Node ${process.version})`);
  console.log(`  bare zlib.gunzipSync of the 4 files:        ${median(times.baseline).toFixed(0)} ms`);
  console.log(`  loadMnist (read, gunzip, SHA-256, parse):   ${median(times.ours).toFixed(0)} ms`);
  console.log(`  ratio loadMnist / gunzipSync:               ${ratio.toFixed(2)}x (target <= 1.5x)`);
  console.log(`  loadMnist from the uncompressed npm copy:   ${median(times.pkg).toFixed(0)} ms`);
  console.log(`  data held: ${mb(load.bytes)} (images + labels, Uint8Array)`);
  console.log(`  peak RSS, fresh process (tsx), idle:         ${mb(idle.peak)}`);
  console.log(`  peak RSS, fresh process, loadMnist:          ${mb(load.peak)}; after GC ${mb(load.rss)}`);
  console.log(`  peak RSS, fresh process, bare gunzipSync:    ${mb(gunzip.peak)}`);
  const forData = load.peak - idle.peak;
  console.log(`  peak RSS added by loading (load - idle):     ${mb(forData)} (target < 150 MB)`);
  const ok = ratio <= 1.5 && forData < 150 * 1024 * 1024;
  console.log(ok ? '  within targets' : '  OUTSIDE TARGETS');
}

await (childMode ? child(childMode) : main());
