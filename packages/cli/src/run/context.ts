import type { DashboardState } from '../dashboard/state';
import type { ImageLookup } from '../output/controller';
import type { EventSink } from './events';

/** What a command's runner gets from the CLI: where to send events, when to stop, what to draw. */
export interface RunContext {
  readonly sink: EventSink;
  /** Aborted by q / Ctrl-C in the dashboard, or SIGINT / SIGTERM otherwise. */
  readonly signal: AbortSignal;
  /** Set these once the data is loaded so the outputs can draw digits. */
  readonly images: ImageLookup;
  /** The state built from the events so far (the HTML report is rendered from it). */
  readonly state: () => DashboardState;
  /** This CLI's version. */
  readonly version: string;
  /** Writes plain text to stdout (for commands without an event stream). */
  readonly print: (text: string) => void;
  /** Reports slow preparation steps (downloads) on stderr. */
  readonly progress: (text: string) => void;
  /** Colour and width of the terminal. */
  readonly color: boolean;
  readonly width: number;
}
