// Runs the committed PyTorch cnn reference (torch_cnn_reference.py) on one of the zoo's layer lists and recipes:
// the network is built from the very list passed here, so both sides of a race train the same model.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainingRecipe } from '../../src/model.js';
import type { CnnLayerSpec } from '../../src/zoo/cnn.js';

const script = join(dirname(fileURLToPath(import.meta.url)), 'torch_cnn_reference.py');

export interface TorchCnnRun {
  python: string;
  dataDir: string;
  layers: readonly CnnLayerSpec[];
  /** Batch size, learning rate, its decay and the shifts come from here (PyTorch has no drawing augmentation). */
  recipe: Readonly<TrainingRecipe>;
  epochs: number;
  seed: number;
  /** Train on the first `limit` images only. */
  limit: number;
  threads?: number;
}

/** What the reference prints: its figures, or why it did not run. */
export type TorchCnnResult = { ok: true; report: Record<string, unknown> } | { ok: false; why: string };

export function runTorchCnn(run: TorchCnnRun): TorchCnnResult {
  if (spawnSync(run.python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    return { ok: false, why: `not importable with '${run.python}' (pip install torch to compare)` };
  }
  const { recipe } = run;
  const child = spawnSync(
    run.python,
    [
      script,
      run.dataDir,
      '--layers',
      JSON.stringify(run.layers),
      '--epochs',
      String(run.epochs),
      '--batch-size',
      String(recipe.batchSize),
      '--learning-rate',
      String(recipe.learningRate),
      '--decay',
      String(recipe.learningRateDecay ?? 1),
      '--max-shift',
      String(recipe.maxShift ?? 0),
      '--seed',
      String(run.seed),
      '--limit',
      String(run.limit),
      '--threads',
      String(run.threads ?? 2),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) {
    return {
      ok: false,
      why: `the reference failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-2).join(' | ')}`,
    };
  }
  return { ok: true, report: JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') };
}
