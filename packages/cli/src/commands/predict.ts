import { analyzeDrawing, MAX_INK_DEPTH, yieldToEventLoop } from '@mnist/data';
import { classify, describeVerdict, SIDE } from '@mnist/models';
import type { PredictOptions } from '../args/commands';
import { describeError } from '../errors';
import { decodeImage } from '../image/decode';
import { readImageFile } from '../image/read';
import { formatCount, formatPercent } from '../render/format';
import { renderHalfBlocks } from '../render/halfblock';
import { terminalSafe } from '../render/terminal-safe';
import { initBackendFor } from '../run/backend';
import type { CommandContext, CommandOutcome } from '../run/context';
import { loadModelReference } from '../run/load-model';
import { everyFewSeconds } from '../run/progress';

/**
 * `mnist predict`: for each image file, decode it (PNG or PGM), apply MNIST's preprocessing (the
 * same as the web demo's: ink detection and polarity, crop, scale to 20 px, centre of mass) and
 * classify it. A file that cannot be read, holds no ink or only a blob is reported and the others still run.
 * Stops before the next file when `context.signal` aborts; when stdout is not a terminal, says how far
 * it is on stderr every few seconds.
 * @returns `ok` when every file was classified, `failed` otherwise, `stopped` when stopped
 */
export async function runPredict(options: PredictOptions, context: CommandContext): Promise<CommandOutcome> {
  await initBackendFor(options.backend);
  const { model, label } = await loadModelReference(options.model);
  const total = options.files.length;
  const progress = context.interactive ? () => {} : everyFewSeconds(context.progress);
  if (!context.interactive && total > 1) {
    context.progress(`classifying ${formatCount(total)} files with ${label}…`);
  }
  let failed = 0;
  try {
    for (const [done, file] of options.files.entries()) {
      await yieldToEventLoop();
      if (context.signal.aborted) return 'stopped';
      progress(() => `classified ${formatCount(done)} of ${formatCount(total)} files`);
      try {
        // Regular files up to a cap only: a pipe, a device or a 5 GB file is refused without reading it.
        const bytes = await readImageFile(file);
        const image = decodeImage(bytes, file);
        const analysis = analyzeDrawing(image.pixels, image.width, image.height, {
          channels: image.channels,
        });
        if (analysis === null) throw new Error(`${file}: the image is blank (no ink found)`);
        // A dot or a filled shape scaled up to MNIST's 20 pixels reads as a confident "0": say what it is instead.
        if (analysis.shape.solid) {
          throw new Error(
            `${file}: no digit to read: the ink is one solid blob, a dot or a filled shape (${analysis.shape.depth} pixels deep at MNIST's scale, where strokes are at most ${MAX_INK_DEPTH})`,
          );
        }
        // Decoding a large image takes a while: look again before classifying it.
        if (context.signal.aborted) return 'stopped';
        const result = await classify(model, analysis.input, { topK: 3 });
        if (options.json) {
          context.print(
            `${JSON.stringify({
              file,
              label: result.label,
              confidence: result.confidence,
              // "7", "4 or 9?" when the model is not sure (low top probability or a close runner-up), "?" when no
              // digit stands out.
              answer: describeVerdict(result.verdict),
              verdict: result.verdict,
              top: result.top.map((score) => ({ label: score.label, probability: score.p })),
              width: image.width,
              height: image.height,
              inverted: analysis.inverted,
            })}\n`,
          );
        } else {
          const top = result.top.map((score) => `${score.label} ${formatPercent(score.p, 1)}`).join(', ');
          // An unsure model says so ("4 or 9?") rather than announcing one digit with false certainty.
          const { verdict } = result;
          const answer =
            verdict.kind === 'confident'
              ? `${result.label} (${formatPercent(result.confidence, 1)})`
              : verdict.reason === 'unreadable'
                ? `? (can't read this: no digit stands out, ${result.label} is the likeliest at ${formatPercent(result.confidence, 1)})`
                : `${describeVerdict(verdict)} (not sure: ${verdict.reason === 'close-call' ? 'close call' : 'low confidence'})`;
          context.print(`${terminalSafe(file)}: ${answer} · top 3: ${top}\n`);
          if (options.show) {
            context.print(
              `${renderHalfBlocks(analysis.preview, SIDE, SIDE, { color: context.color }).join('\n')}\n`,
            );
          }
        }
      } catch (error) {
        failed++;
        const { message } = describeError(error);
        // The failure on stderr; with --json, its record among the results too.
        if (options.json) context.print(`${JSON.stringify({ file, error: message })}\n`);
        context.printError(
          `mnist: ${terminalSafe(message.startsWith(file) ? message : `${file}: ${message}`)}\n`,
        );
      }
    }
  } finally {
    model.layersModel.dispose();
  }
  return failed > 0 ? 'failed' : 'ok';
}
