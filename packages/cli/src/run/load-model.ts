import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  loadModel,
  loadPretrained,
  type MnistModel,
  type ModelName,
  pretrainedManifest,
} from '@mnist/models';
import { CliError } from '../errors';
import { describeCode } from '../files/destinations';
import { isKerasFile } from '../files/keras-path';

/**
 * Loads the model a user named: `pretrained:simple|mlp|cnn|best` (shipped inside @mnist/models), a
 * directory holding `model.json` + `weights.bin` as written by `mnist train --save DIR`, or a Keras 3 `.keras`
 * file (from Keras's `model.save("x.keras")` or `mnist train --save x.keras`).
 */
export async function loadModelReference(reference: string): Promise<{ model: MnistModel; label: string }> {
  if (reference.startsWith('pretrained:')) {
    const asked = reference.slice('pretrained:'.length);
    const name = asked === 'best' ? bestPretrained() : (asked as ModelName);
    return { model: await loadPretrained(name), label: `pretrained:${name}` };
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(reference)) {
    throw new CliError(
      `${reference} is a URL; --model takes a model on this machine. Download its model.json and weights files ` +
        'into a folder (or its .keras file) and pass that path, or use --model pretrained:best.',
      { code: 'NOT_FOUND', quoted: [reference] },
    );
  }
  const dir = resolve(reference);
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    // A loop of symbolic links, a folder we may not enter: it exists, and saving there would not help.
    throw new CliError(`cannot read the model at ${dir} (${describeCode(error)}).`, {
      code: 'NOT_FOUND',
      cause: error,
      quoted: [dir],
    });
  });
  if (info === undefined) {
    throw new CliError(
      `${isKerasFile(dir) ? 'model file' : 'model directory'} ${dir} does not exist. Train and save one with \`mnist train --model mlp --save ${reference}\`, or use --model pretrained:best.`,
      { code: 'NOT_FOUND', quoted: [dir, reference] },
    );
  }
  // A .keras file, or anything else the loader must look at (a directory named x.keras is refused there).
  if (isKerasFile(dir)) return { model: await loadModel(dir), label: dir };
  if (!info.isDirectory()) {
    throw new CliError(
      `${dir} is a file; a model is a directory with model.json and weights.bin (as written by mnist train --save), ` +
        'or a Keras 3 file whose name ends in .keras.',
      {
        code: 'NOT_FOUND',
      },
    );
  }
  return { model: await loadModel(dir), label: dir };
}

/** The shipped pretrained model with the highest measured test accuracy. */
export function bestPretrained(): ModelName {
  const shipped = Object.values(pretrainedManifest).filter((entry) => entry !== undefined);
  const best = shipped.reduce<(typeof shipped)[number] | undefined>(
    (top, entry) => (top === undefined || entry.testAccuracy > top.testAccuracy ? entry : top),
    undefined,
  );
  if (best === undefined) {
    throw new CliError(
      'this @mnist/models ships no pretrained weights: pass a model directory written by `mnist train --save DIR`.',
    );
  }
  return best.name as ModelName;
}
