import type { ReportEvent, SavedEvent } from '../events/types';

/** The line about a saved model; says so plainly when it had to go to a temporary directory. */
export function savedText(event: SavedEvent): string {
  return event.requestedDir === undefined
    ? `Saved ${event.model} to ${event.dir}`
    : `Could not save ${event.model} to ${event.requestedDir} (${event.error}). Saved it to ${event.dir} instead: move it where you want it.`;
}

/** The line about the HTML report; says so plainly when it had to go to a temporary file. */
export function reportText(event: ReportEvent): string {
  return event.requestedFile === undefined
    ? `Wrote the HTML report to ${event.file}`
    : `Could not write the HTML report to ${event.requestedFile} (${event.error}). Wrote it to ${event.file} instead.`;
}
