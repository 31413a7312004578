import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadModel, type MnistModel } from '@mnist/models';
import * as modelsNode from '@mnist/models/node';
import { CliError } from '../errors';

/**
 * Loads the model a user named: `pretrained:simple|mlp|cnn` (shipped inside @mnist/models) or a
 * directory holding `model.json` + `weights.bin` as written by `mnist train --save`.
 */
export async function loadModelReference(reference: string): Promise<{ model: MnistModel; label: string }> {
  if (reference.startsWith('pretrained:')) {
    const name = reference.slice('pretrained:'.length) as 'simple' | 'mlp' | 'cnn';
    // Looked up at run time while the pretrained weights are an optional part of @mnist/models.
    const loadPretrained = (modelsNode as { loadPretrained?: (n: string) => Promise<MnistModel> })
      .loadPretrained;
    if (loadPretrained === undefined) {
      throw new CliError(
        `${reference} is not available: this @mnist/models has no pretrained weights. Pass a directory written by \`mnist train --save DIR\`.`,
      );
    }
    return { model: await loadPretrained(name), label: reference };
  }
  const dir = resolve(reference);
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) {
    throw new CliError(
      `model directory ${dir} does not exist. Train and save one with \`mnist train --model mlp --save ${reference}\`, or use --model pretrained:cnn.`,
      { code: 'NOT_FOUND' },
    );
  }
  if (!info.isDirectory()) {
    throw new CliError(
      `${dir} is a file; a model is a directory with model.json and weights.bin (as written by mnist train --save).`,
      {
        code: 'NOT_FOUND',
      },
    );
  }
  return { model: await loadModel(dir), label: dir };
}
