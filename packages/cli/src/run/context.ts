import type { ImageSource } from '../events/images';
import type { EventSink } from '../events/types';

/**
 * What a command gets from the CLI. Commands emit events and text through it and never see the outputs
 * (dashboard, lines, JSON, HTML report) that listen on the other side.
 */
export interface CommandContext {
  /** Where `train` and `evaluate` send their events. */
  readonly sink: EventSink;
  /**
   * Aborted when the run should stop: q / Ctrl-C in the dashboard, SIGINT or SIGTERM, or an output that
   * can no longer be written. Commands stop at the next safe point (a batch, a chunk of images, a file).
   */
  readonly signal: AbortSignal;
  /** Hands the loaded images to the outputs, so they can draw digits. */
  readonly showImages: (images: ImageSource) => void;
  /** This CLI's version. */
  readonly version: string;
  /** Writes text to stdout (for commands that print answers rather than events). */
  readonly print: (text: string) => void;
  /**
   * Writes a failure to stderr (text made terminal-safe by the caller), for commands that print answers: what
   * failed is said there even when, with `--json`, a record of it also goes to stdout.
   */
  readonly printError: (text: string) => void;
  /** Reports progress of slow steps (downloads, evaluation): on stderr, or in the dashboard's status line. */
  readonly progress: (text: string) => void;
  /** True when stdout is a terminal (answers are then seen as they come, no extra progress needed). */
  readonly interactive: boolean;
  /** Colour and width of the terminal. */
  readonly color: boolean;
  readonly width: number;
}

/** How a command ended: 0/1 exit codes come from `ok`/`failed`; `stopped` takes the code of what stopped it. */
export type CommandOutcome = 'ok' | 'failed' | 'stopped';
