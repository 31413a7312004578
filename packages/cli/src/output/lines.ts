import { PIXELS, SIDE } from '@mnist/models';
import type { EventSink, EvaluationEvent, RunEvent } from '../events/types';
import { formatCount, formatDuration, formatLoss, formatPercent, formatRate } from '../render/format';
import { imagesPerRow, renderHalfBlocks, tileImages } from '../render/halfblock';
import { modelName, modelText, reportText, savedText } from '../render/messages';
import { heatmapLines } from '../render/heatmap';

/** Where and how the line printer writes. */
export interface LinePrinterOptions {
  /** Writes text (each call ends with a newline). */
  readonly write: (text: string) => void;
  readonly color: boolean;
  readonly width: number;
  /** The training image `index`, for the sample shown at the start. */
  readonly trainImage?: (index: number) => Uint8Array;
  /** The test image `index`, for the examples of the most confused pairs. */
  readonly testImage?: (index: number) => Uint8Array;
}

/**
 * The output for pipes, CI logs and terminals without interaction: one readable line per epoch
 * (no progress bars), then each model's evaluation as text.
 */
export function createLinePrinter(options: LinePrinterOptions): EventSink {
  return (event: RunEvent) => {
    for (const line of describeEvent(event, options)) options.write(`${line}\n`);
  };
}

/** A digit as half-block lines (a blank one when the image is not available). */
function digit(image: ((index: number) => Uint8Array) | undefined, index: number, color: boolean): string[] {
  return renderHalfBlocks(image?.(index) ?? new Uint8Array(PIXELS), SIDE, SIDE, { color });
}

/** The lines printed for one event (empty for batch progress). */
export function describeEvent(event: RunEvent, options: Omit<LinePrinterOptions, 'write'>): string[] {
  switch (event.type) {
    case 'start': {
      const lines = [
        `mnist ${event.version} · ${event.command} · ${event.dataset} from ${event.source.kind} (${event.source.location})`,
        `${formatCount(event.trainCount)} training / ${formatCount(event.testCount)} test images · backend ${event.backend.name} (${event.backend.reason})`,
      ];
      if (options.trainImage && event.sampleIndices.length > 0) {
        // One row of samples: as many as the width allows.
        const images = event.sampleIndices.slice(0, imagesPerRow(options.width)).map((index) => ({
          lines: digit(options.trainImage, index, options.color),
          caption: `#${index}`,
          width: SIDE,
        }));
        lines.push('', 'Sample training images:', ...tileImages(images, options.width), '');
      }
      return lines;
    }
    case 'model':
      return [`${modelName(event)}: ${modelText(event)}`];
    case 'batch':
      return [];
    case 'epoch':
      return [
        `${event.model} epoch ${event.epoch}/${event.epochs} · loss ${formatLoss(event.loss)} · accuracy ${formatPercent(
          event.accuracy,
        )} · ${formatDuration(event.seconds)} · ${formatRate(event.samplesPerSecond)}`,
      ];
    case 'evaluation':
      return evaluationLines(event, options);
    case 'saved':
      return [savedText(event)];
    case 'report':
      return [reportText(event)];
    case 'done':
      return [event.message];
    case 'error':
      return [];
  }
}

/** Test accuracy, the confusion matrix, the per-class report and the most confused pairs, as text. */
export function evaluationLines(
  event: EvaluationEvent,
  options: Omit<LinePrinterOptions, 'write'>,
): string[] {
  const lines = [
    '',
    `${event.model} test accuracy ${formatPercent(event.accuracy)} · loss ${formatLoss(event.loss)} · ${formatCount(
      event.count,
    )} images · ${formatDuration(event.seconds)}`,
    '',
    'Confusion matrix (rows: true class, columns: predicted):',
    ...heatmapLines(event.confusion, { color: options.color }),
    '',
    ...event.reportText.replace(/\n+$/, '').split('\n'),
    '',
  ];
  if (event.mostConfused.length > 0) {
    lines.push(
      `Most confused: ${event.mostConfused.map((p) => `${p.actual}→${p.predicted} ×${p.count}`).join(', ')}`,
    );
    if (options.testImage) {
      const images = event.mostConfused.slice(0, 5).map((pair) => ({
        lines: digit(options.testImage, pair.example, options.color),
        caption: `${pair.actual}→${pair.predicted} #${pair.example}`,
        width: SIDE,
      }));
      lines.push(...tileImages(images, options.width));
    }
    lines.push('');
  }
  return lines;
}
