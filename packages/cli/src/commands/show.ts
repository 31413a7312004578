import { SIDE } from '@mnist/models';
import type { ShowOptions } from '../args/commands';
import { flagError } from '../errors';
import { formatCount } from '../render/format';
import { renderHalfBlocks, tileImages } from '../render/halfblock';
import { initBackendFor } from '../run/backend';
import type { CommandContext, CommandOutcome } from '../run/context';
import { loadData } from '../run/data';
import { evaluateInChunks } from '../run/evaluation';
import { loadModelReference } from '../run/load-model';

/**
 * `mnist show`: draws images with half-blocks, chosen by index, by label, or as the test images a
 * model gets wrong (captioned true → predicted).
 */
export async function runShow(options: ShowOptions, context: CommandContext): Promise<CommandOutcome> {
  const splitName = options.misclassified !== undefined ? 'test' : options.split;
  const data = await loadData(options, context.signal, context.progress, [splitName]);
  const split = data[splitName];
  let chosen: { index: number; caption: string }[];
  let title: string;
  if (options.indices !== undefined) {
    for (const index of options.indices) {
      if (index >= split.count) {
        throw flagError(
          `index ${index} is out of range: the ${splitName} split has ${formatCount(split.count)} images (0–${split.count - 1})`,
        );
      }
    }
    chosen = options.indices.map((index) => ({ index, caption: `#${index}: ${split.label(index)}` }));
    title = `${data.dataset} ${splitName} images ${options.indices.join(', ')}`;
  } else if (options.misclassified !== undefined) {
    await initBackendFor(options.backend);
    const { model, label } = await loadModelReference(options.misclassified);
    const result = await evaluateInChunks(model, split, { signal: context.signal }).finally(() =>
      model.layersModel.dispose(),
    );
    if (result === undefined) return 'stopped';
    const wrong = result.predictions.reduce(
      (sum, predicted, i) => sum + (predicted === split.label(i) ? 0 : 1),
      0,
    );
    chosen = [];
    for (let i = 0; i < split.count && chosen.length < options.count; i++) {
      const predicted = result.predictions[i] as number;
      if (predicted !== split.label(i))
        chosen.push({ index: i, caption: `#${i}: ${split.label(i)}→${predicted}` });
    }
    title = `${label} gets ${formatCount(wrong)} of ${formatCount(split.count)} test images wrong (${(
      (wrong / split.count) * 100
    ).toFixed(2)}%); the first ${chosen.length} (true→predicted):`;
  } else {
    chosen = [];
    for (let i = 0; i < split.count && chosen.length < options.count; i++) {
      if (options.label === undefined || split.label(i) === options.label)
        chosen.push({ index: i, caption: `#${i}: ${split.label(i)}` });
    }
    title =
      options.label === undefined
        ? `The first ${chosen.length} ${data.dataset} ${splitName} images:`
        : `The first ${chosen.length} ${splitName} images of ${data.classNames[options.label] ?? options.label}:`;
  }
  const tiles = chosen.map(({ index, caption }) => ({
    lines: renderHalfBlocks(split.image(index), SIDE, SIDE, { color: context.color }),
    caption,
    width: SIDE,
  }));
  context.print(`${title}\n${tileImages(tiles, context.width).join('\n')}\n`);
  return 'ok';
}
