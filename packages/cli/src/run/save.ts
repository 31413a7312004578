import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { type MnistModel, MnistModelError, saveModel } from '@mnist/models';
import { CliError, cliWording } from '../errors';
import type { SavedEvent } from '../events/types';
import { type SaveFolder, saveFolderChange } from '../files/destinations';
import { isKerasFile } from '../files/keras-path';

/** What {@link saveTrainedModel} needs besides the model: the stop signal and the folder as checked before training. */
export interface SaveOptions {
  /** The run's stop signal: a stop before the save's commit point leaves nothing written. */
  readonly signal?: AbortSignal;
  /** What the `--save` folder held when it was checked before training (not for a `.keras` file). */
  readonly checked?: SaveFolder;
}

/**
 * Saves a trained model to `dir` (a directory, or a `.keras` file). The destination was checked before
 * training, but a long run leaves time for it to change: if it now holds what another run (or someone) put there,
 * or saving there fails now, the model is saved to a new temporary directory instead (as a `.keras` file of the
 * same name when one was asked for; a trained model is not thrown away), and the event says where and why.
 * @returns the saved event, or `stopped` when the signal stopped the save before it completed (nothing written)
 * @throws CliError when even the temporary directory cannot be written
 */
export async function saveTrainedModel(
  model: MnistModel,
  name: string,
  dir: string,
  options: SaveOptions = {},
): Promise<SavedEvent | 'stopped'> {
  const { signal, checked } = options;
  const target = resolve(dir);
  if (signal?.aborted) return 'stopped';
  let reason: string;
  let cause: unknown;
  const changed = checked === undefined ? undefined : await saveFolderChange(target, checked);
  if (changed === undefined) {
    try {
      await saveModel(model, target, { signal });
      return { type: 'saved', model: name, dir: target };
    } catch (error) {
      if (isStop(error)) return 'stopped';
      reason = cliWording(error instanceof Error ? error.message : String(error));
      cause = error;
    }
  } else {
    reason = changed;
  }
  let made: string | undefined;
  let fallback: string;
  try {
    made = await mkdtemp(join(tmpdir(), `mnist-${name}-`));
    fallback = isKerasFile(target) ? join(made, basename(target)) : made;
    await saveModel(model, fallback, { signal });
  } catch (fallbackError) {
    if (isStop(fallbackError)) {
      if (made !== undefined) await rm(made, { recursive: true, force: true });
      return 'stopped';
    }
    throw new CliError(
      `${reason} Saving to a temporary directory failed too: ${(fallbackError as Error).message}`,
      { code: 'WRITE_FAILED', cause: cause ?? fallbackError },
    );
  }
  return { type: 'saved', model: name, dir: fallback, requestedDir: target, error: reason };
}

function isStop(error: unknown): boolean {
  return error instanceof MnistModelError && error.code === 'ABORTED';
}
