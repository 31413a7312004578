import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { RunStore } from '../dashboard/store';
import type { ReportEvent } from '../events/types';
import { writeFileAtomically } from '@mnist/data';
import { renderHtmlReport, type ReportSources } from '../report/html';

/** The HTML report as one more output of a run. */
export interface ReportOutput {
  /** Resolves once the report is written (at once when the run has not ended); never rejects. */
  readonly written: () => Promise<void>;
  /** True when the report could not be written where asked (it went to a temporary file, or nowhere). */
  readonly failed: () => boolean;
}

/**
 * Listens to the run's store and, when the run is `done` (finished or stopped), renders the report from
 * the store's state and writes it atomically to `file`, then dispatches the `report` event. If `file`
 * cannot be written now (it was checked before the run), the report goes to a new temporary file and the
 * event says where and why; if even that fails, an error line is reported through `onError`.
 */
export function listenForReport(
  store: RunStore,
  file: string,
  sources: ReportSources,
  onError: (message: string) => void,
): ReportOutput {
  const target = resolve(file);
  let writing: Promise<void> | undefined;
  let failed = false;
  store.subscribe((state, action) => {
    if (action.type !== 'done' || writing !== undefined) return;
    const html = renderHtmlReport(state, sources);
    writing = writeReport(target, html).then(
      (event) => {
        if (event.requestedFile !== undefined) failed = true;
        store.dispatch(event);
      },
      (error: unknown) => {
        failed = true;
        onError(`could not write the HTML report to ${target}: ${(error as Error).message}`);
      },
    );
  });
  return { written: () => writing ?? Promise.resolve(), failed: () => failed };
}

async function writeReport(target: string, html: string): Promise<ReportEvent> {
  try {
    await writeFileAtomically(target, html);
    return { type: 'report', file: target };
  } catch (error) {
    const fallback = join(await mkdtemp(join(tmpdir(), 'mnist-report-')), basename(target));
    await writeFileAtomically(fallback, html);
    return { type: 'report', file: fallback, requestedFile: target, error: (error as Error).message };
  }
}
