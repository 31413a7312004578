import { PIXELS } from '@mnist/models';
import { render } from 'ink';
import { initialDashboardState, isRunEvent } from '../dashboard/state';
import { createRunStore, type RunStore } from '../dashboard/store';
import type { ImageSource } from '../events/images';
import type { GuardedStreams } from '../io/streams';
import { fallbackText } from '../render/messages';
import { terminalSafe, terminalSafeData } from '../render/terminal-safe';
import type { TerminalInfo } from '../terminal';
import { DashboardApp } from '../ui/App';
import { createJsonPrinter } from './json';
import { createLinePrinter } from './lines';
import { listenForReport, type ReportOutput } from './report';

/** What the outputs of a run need. */
export interface RunOutputsOptions {
  /** Dashboard, lines or JSON, colour and width. */
  readonly terminal: TerminalInfo;
  /** Every write goes through these (see io/streams.ts). */
  readonly streams: GuardedStreams;
  /** Keys for the dashboard (q, Esc, Ctrl-C). */
  readonly stdin: NodeJS.ReadStream;
  /** `--report FILE`, if given: the HTML report listens too. */
  readonly report: string | undefined;
  /** Called each time the user presses q, Esc or Ctrl-C in the dashboard. */
  readonly onStop: () => void;
}

/** The outputs of one run, all listening to one store. */
export interface RunOutputs {
  /** The run's one store: commands send events to `store.sink`. */
  readonly store: RunStore;
  /** Lets the outputs draw digits, once the command has loaded the images. */
  readonly showImages: (images: ImageSource) => void;
  /** How far a slow step is: the dashboard's status line, or a line on stderr. */
  readonly progress: (text: string) => void;
  /**
   * Waits for the HTML report to be written and, for the dashboard, lets the last state render and
   * unmounts Ink (its last frame stays on screen). `failed` is true when the report could not be
   * written where asked. Safe to call more than once: every call shares the first one's work.
   */
  readonly finish: () => Promise<{ readonly failed: boolean }>;
}

/**
 * Creates one store for the run and the outputs that listen to it: the Ink dashboard for interactive
 * terminals, plain lines for pipes and CI, JSON lines for `--json`, and the HTML report with `--report`.
 * The reducer runs once per event, in the store; the outputs only read.
 */
export function createRunOutputs(options: RunOutputsOptions): RunOutputs {
  const { terminal, streams } = options;
  // The dashboard shows what is in the store: its strings are made terminal-safe on the way in. The other outputs
  // keep the events exact (JSON, the report) and the lines make them safe as they print.
  const store = createRunStore(
    initialDashboardState,
    terminal.kind === 'dashboard' ? (action) => terminalSafeData(action) : undefined,
  );
  let images: ImageSource | undefined;
  const trainImage = (index: number) => images?.trainImage?.(index) ?? new Uint8Array(PIXELS);
  const testImage = (index: number) => images?.testImage(index) ?? new Uint8Array(PIXELS);
  const report: ReportOutput | undefined =
    options.report === undefined
      ? undefined
      : listenForReport(store, options.report, { testImage }, (message) =>
          streams.err(`mnist: ${terminalSafe(message, { lines: true })}\n`),
        );
  const showImages = (source: ImageSource) => {
    images = source;
  };
  const reportDone = async () => {
    await report?.written();
    return { failed: report?.failed() ?? false };
  };

  if (terminal.kind !== 'dashboard') {
    const print =
      terminal.kind === 'json'
        ? createJsonPrinter(streams.out)
        : createLinePrinter({
            write: streams.out,
            color: terminal.color,
            width: terminal.width,
            trainImage,
            testImage,
          });
    store.subscribe((_, action) => {
      if (!isRunEvent(action)) return;
      // A destination that failed at the end is a failure: said on stderr. JSON keeps the event on stdout too.
      const failure = fallbackText(action);
      if (failure !== undefined) streams.err(`mnist: ${terminalSafe(failure)}\n`);
      if (failure === undefined || terminal.kind === 'json') {
        print(terminal.kind === 'json' ? action : terminalSafeData(action));
      }
    });
    return {
      store,
      showImages,
      progress: (text) => streams.err(`mnist: ${terminalSafe(text)}\n`),
      finish: once(reportDone),
    };
  }

  const instance = render(
    <DashboardApp
      store={store}
      onStop={options.onStop}
      color={terminal.color}
      trainImage={trainImage}
      testImage={testImage}
    />,
    { stdout: streams.terminal(), stdin: options.stdin, exitOnCtrlC: false, patchConsole: false },
  );
  return {
    store,
    showImages,
    progress: (text) => store.dispatch({ type: 'status', text }),
    finish: once(async () => {
      const result = await reportDone();
      // Let the last state render before unmounting, so the final frame holds the summary.
      await new Promise((resolve) => setTimeout(resolve, 50));
      instance.unmount();
      await instance.waitUntilExit();
      return result;
    }),
  };
}

/** `start` run on the first call only; later calls get the first call's promise. */
function once<T>(start: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | undefined;
  return () => {
    started ??= start();
    return started;
  };
}
