import { render } from 'ink';
import { type DashboardState, dashboardReducer, initialDashboardState } from '../dashboard/state';
import { createDashboardStore } from '../dashboard/store';
import { type EventSink, type RunEvent, throttleBatches } from '../run/events';
import type { TerminalInfo } from '../terminal';
import { DashboardApp } from '../ui/App';
import { createJsonPrinter } from './json';
import { createLinePrinter } from './lines';

/** Redraws per second at most for batch progress in the dashboard. */
const DASHBOARD_BATCH_INTERVAL_MS = 100;

/** Images the outputs may draw (sample digits, examples of mistakes); set once the data is loaded. */
export interface ImageLookup {
  trainImage?: ((index: number) => Uint8Array) | undefined;
  testImage?: ((index: number) => Uint8Array) | undefined;
}

/** The streams a run writes to. */
export interface RunStreams {
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
}

/** One run's output, whatever its kind: feed it events, then finish it. */
export interface RunOutput {
  readonly sink: EventSink;
  /** The state built from every event so far (for the HTML report). */
  readonly state: () => DashboardState;
  /** Fill in to let the outputs draw images. */
  readonly images: ImageLookup;
  /** Flushes and, for the dashboard, unmounts Ink (its last frame stays on screen). */
  readonly finish: () => Promise<void>;
}

/**
 * Creates the output that suits the terminal: the Ink dashboard for interactive terminals, plain
 * lines for pipes and CI, JSON lines for `--json`.
 * @param onStop called when the user presses q or Ctrl-C in the dashboard
 */
export function createRunOutput(terminal: TerminalInfo, streams: RunStreams, onStop: () => void): RunOutput {
  const images: ImageLookup = {};
  const trainImage = (index: number) => images.trainImage?.(index) ?? new Uint8Array(784);
  const testImage = (index: number) => images.testImage?.(index) ?? new Uint8Array(784);
  let state = initialDashboardState;
  const track =
    (sink: EventSink): EventSink =>
    (event: RunEvent) => {
      state = dashboardReducer(state, event);
      sink(event);
    };
  const write = (text: string) => {
    streams.stdout.write(text);
  };

  if (terminal.kind === 'json') {
    return { sink: track(createJsonPrinter(write)), state: () => state, images, finish: async () => {} };
  }
  if (terminal.kind === 'lines') {
    const printer = createLinePrinter({
      write,
      color: terminal.color,
      width: terminal.width,
      trainImage: (index) => trainImage(index),
      testImage: (index) => testImage(index),
    });
    return { sink: track(printer), state: () => state, images, finish: async () => {} };
  }

  const store = createDashboardStore();
  const instance = render(
    <DashboardApp
      store={store}
      onStop={onStop}
      color={terminal.color}
      trainImage={trainImage}
      testImage={testImage}
    />,
    { stdout: streams.stdout, stdin: streams.stdin, exitOnCtrlC: false, patchConsole: false },
  );
  return {
    sink: track(throttleBatches(store.sink, DASHBOARD_BATCH_INTERVAL_MS)),
    state: () => state,
    images,
    finish: async () => {
      // Let the last state render before unmounting, so the final frame holds the summary.
      await new Promise((resolve) => setTimeout(resolve, 50));
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
