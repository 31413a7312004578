import type { DashboardState } from '../dashboard/state';
import { dashboardReducer, initialDashboardState } from '../dashboard/state';
import { formatCount, formatDuration, formatLoss, formatPercent, formatRate } from '../render/format';
import { imagesPerRow, renderHalfBlocks, tileImages } from '../render/halfblock';
import { heatmapLines } from '../render/heatmap';
import type { EventSink, EvaluationEvent, RunEvent } from '../run/events';

/** Where and how the line printer writes. */
export interface LinePrinterOptions {
  /** Writes text (each call ends with a newline). */
  readonly write: (text: string) => void;
  readonly color: boolean;
  readonly width: number;
  /** The training image `index` (784 pixels), for the sample shown at the start. */
  readonly trainImage?: (index: number) => Uint8Array;
  /** The test image `index`, for the examples of the most confused pairs. */
  readonly testImage?: (index: number) => Uint8Array;
}

/**
 * The output for pipes, CI logs and terminals without interaction: one readable line per epoch
 * (no progress bars), then each model's evaluation as text. Returns an {@link EventSink} and keeps the
 * state, so the caller can build the HTML report from it at the end.
 */
export function createLinePrinter(
  options: LinePrinterOptions,
): EventSink & { readonly state: () => DashboardState } {
  let state = initialDashboardState;
  const print = (text = '') => options.write(`${text}\n`);
  const sink = (event: RunEvent) => {
    state = dashboardReducer(state, event);
    for (const line of describeEvent(event, options)) print(line);
  };
  return Object.assign(sink, { state: () => state });
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
          lines: renderHalfBlocks(options.trainImage?.(index) ?? new Uint8Array(784), 28, 28, {
            color: options.color,
          }),
          caption: `#${index}`,
          width: 28,
        }));
        lines.push('', 'Sample training images:', ...tileImages(images, options.width), '');
      }
      return lines;
    }
    case 'model':
      return event.epochs > 0
        ? [
            `${event.model}: ${event.summary} · ${formatCount(event.parameters)} parameters · ${event.epochs} epoch${event.epochs === 1 ? '' : 's'}, batch ${event.batchSize}, Adam lr ${event.learningRate} · ${formatCount(event.trainCount)} images`,
          ]
        : [`${event.model}: ${event.summary} · ${formatCount(event.parameters)} parameters`];
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
      return [`Saved ${event.model} to ${event.dir}`];
    case 'report':
      return [`Wrote the HTML report to ${event.file}`];
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
        lines: renderHalfBlocks(options.testImage?.(pair.example) ?? new Uint8Array(784), 28, 28, {
          color: options.color,
        }),
        caption: `${pair.actual}→${pair.predicted} #${pair.example}`,
        width: 28,
      }));
      lines.push(...tileImages(images, options.width));
    }
    lines.push('');
  }
  return lines;
}
