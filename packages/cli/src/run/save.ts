import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { type MnistModel, saveModel } from '@mnist/models';
import { CliError, cliWording } from '../errors';
import type { SavedEvent } from '../events/types';
import { isKerasFile } from '../files/keras-path';

/**
 * Saves a trained model to `dir` (a directory, or a `.keras` file). The destination was checked before
 * training, but a long run leaves time for it to change: if saving there fails now, the model is saved to a
 * new temporary directory instead (as a `.keras` file of the same name when one was asked for; a trained model
 * is not thrown away), and the event says where and why.
 * @throws CliError when even the temporary directory cannot be written
 */
export async function saveTrainedModel(model: MnistModel, name: string, dir: string): Promise<SavedEvent> {
  const target = resolve(dir);
  try {
    await saveModel(model, target);
    return { type: 'saved', model: name, dir: target };
  } catch (error) {
    const reason = cliWording(error instanceof Error ? error.message : String(error));
    let fallback: string;
    try {
      fallback = await mkdtemp(join(tmpdir(), `mnist-${name}-`));
      if (isKerasFile(target)) fallback = join(fallback, basename(target));
      await saveModel(model, fallback);
    } catch (fallbackError) {
      throw new CliError(
        `${reason} Saving to a temporary directory failed too: ${(fallbackError as Error).message}`,
        { code: 'WRITE_FAILED', cause: error },
      );
    }
    return { type: 'saved', model: name, dir: fallback, requestedDir: target, error: reason };
  }
}
