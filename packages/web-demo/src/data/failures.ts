import { MnistDataError } from '@mnist/data';

/** What was being loaded and how the visitor tries again, for messages like "Press Evaluate to try again." */
export interface LoadContext {
  /** e.g. "the test images" */
  what: string;
  /** The button that starts it again, e.g. "Evaluate". */
  button: string;
  /** Whether the browser says it is online (`navigator.onLine`). */
  online: boolean;
}

/**
 * A data-loading failure in plain words: what happened and what to do, never a raw developer error. Returns
 * undefined for errors that are not about loading data (the caller words those).
 */
export function explainDataFailure(error: unknown, context: LoadContext): string | undefined {
  if (!(error instanceof MnistDataError)) return undefined;
  const { what, button } = context;
  if (error.code === 'DOWNLOAD_FAILED') {
    if (/HTTP 404/.test(error.message)) {
      return (
        `This copy of the demo is missing ${what} (the server answered “not found”). Whoever published it ` +
        'needs to rebuild it with its data files.'
      );
    }
    if (!context.online) {
      return (
        `You are offline, and ${what} have not been downloaded yet: they are fetched the first time they are ` +
        `needed, then kept for offline use. Connect to the internet and press ${button} again.`
      );
    }
    return (
      `${capitalise(what)} could not be downloaded: the connection failed or was cut. Check that you are ` +
      `online and press ${button} to try again.`
    );
  }
  if (error.code === 'ABORTED') return `Loading ${what} was cancelled.`;
  return (
    `The downloaded copy of ${what} is damaged (it does not match MNIST’s published checksum). ` +
    `Press ${button} to download it again.`
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
