import type { ModelEvent, ReportEvent, RunEvent, SavedEvent } from '../events/types';
import { formatCount } from './format';

/** The line about a saved model; says so plainly when it had to go to a temporary directory. */
export function savedText(event: SavedEvent): string {
  return event.requestedDir === undefined
    ? `Saved ${event.model} to ${event.dir}`
    : `Could not save ${event.model} to ${event.requestedDir} (${event.error}). Saved it to ${event.dir} instead: move it where you want it.`;
}

/**
 * The failure a `saved` or `report` event tells, when the destination asked for could not be written (the work went
 * to a temporary place): said on stderr, where failures go, besides the event. Undefined for every other event.
 */
export function fallbackText(event: RunEvent): string | undefined {
  if (event.type === 'saved' && event.requestedDir !== undefined) return savedText(event);
  if (event.type === 'report' && event.requestedFile !== undefined) return reportText(event);
  return undefined;
}

/** The line about the HTML report; says so plainly when it had to go to a temporary file. */
export function reportText(event: ReportEvent): string {
  return event.requestedFile === undefined
    ? `Wrote the HTML report to ${event.file}`
    : `Could not write the HTML report to ${event.requestedFile} (${event.error}). Wrote it to ${event.file} instead.`;
}

/**
 * What the model line says after the model's name: its layers, parameters and, when it trains, the recipe
 * (epochs, batch, Adam's rate, the form of its loss) and the images; e.g. "Dense(10, sigmoid) · 7,850 parameters ·
 * 5 epochs, batch 32, Adam lr 0.001, loss from logits · 60,000 images".
 */
export function modelText(event: ModelEvent): string {
  const layers = `${event.summary} · ${formatCount(event.parameters)} parameters`;
  if (event.epochs === 0) return layers;
  return `${layers} · ${event.epochs} epoch${event.epochs === 1 ? '' : 's'}, batch ${event.batchSize}, Adam lr ${event.learningRate}, loss from ${event.crossEntropy} · ${formatCount(event.trainCount)} images`;
}

/** The model's name as the model line shows it: with `(from REFERENCE)` when `train --init` loaded it. */
export function modelName(event: ModelEvent): string {
  return event.from === undefined ? event.model : `${event.model} (from ${event.from})`;
}
