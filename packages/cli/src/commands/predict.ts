import { readFile } from 'node:fs/promises';
import { analyzeDrawing } from '@mnist/data';
import { classify } from '@mnist/models';
import type { PredictOptions } from '../args/commands';
import { describeError } from '../errors';
import { decodeImage } from '../image/decode';
import { formatPercent } from '../render/format';
import { renderHalfBlocks } from '../render/halfblock';
import { initBackendFor } from '../run/backend';
import type { RunContext } from '../run/context';
import { loadModelReference } from '../run/load-model';

/**
 * `mnist predict`: for each image file, decode it (PNG or PGM), apply MNIST's preprocessing (the
 * same as the web demo's: ink detection and polarity, crop, scale to 20 px, centre of mass) and
 * classify it. A file that cannot be read or holds no ink is reported and the others still run.
 * @returns 0 when every file was classified, 1 otherwise
 */
export async function runPredict(options: PredictOptions, context: RunContext): Promise<number> {
  await initBackendFor(options.backend);
  const { model } = await loadModelReference(options.model);
  let failed = 0;
  try {
    for (const file of options.files) {
      try {
        const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
          throw new Error(
            error.code === 'ENOENT'
              ? `${file}: no such file`
              : `${file}: cannot read (${error.code ?? error.message})`,
          );
        });
        const image = decodeImage(bytes, file);
        const analysis = analyzeDrawing(image.pixels, image.width, image.height, {
          channels: image.channels,
        });
        if (analysis === null) throw new Error(`${file}: the image is blank (no ink found)`);
        const result = await classify(model, analysis.input, { topK: 3 });
        if (options.json) {
          context.print(
            `${JSON.stringify({
              file,
              label: result.label,
              confidence: result.confidence,
              top: result.top.map((score) => ({ label: score.label, probability: score.p })),
              width: image.width,
              height: image.height,
              inverted: analysis.inverted,
            })}\n`,
          );
        } else {
          const top = result.top.map((score) => `${score.label} ${formatPercent(score.p, 1)}`).join(', ');
          context.print(
            `${file}: ${result.label} (${formatPercent(result.confidence, 1)}) · top 3: ${top}\n`,
          );
          if (options.show) {
            context.print(
              `${renderHalfBlocks(analysis.preview, 28, 28, { color: context.color }).join('\n')}\n`,
            );
          }
        }
      } catch (error) {
        failed++;
        const { message } = describeError(error);
        if (options.json) context.print(`${JSON.stringify({ file, error: message })}\n`);
        else context.print(`${message.startsWith(file) ? message : `${file}: ${message}`}\n`);
      }
    }
  } finally {
    model.layersModel.dispose();
  }
  return failed > 0 ? 1 : 0;
}
