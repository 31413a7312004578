import { backendInfo, initBackend, MnistModelError, type NodeBackendPreference } from '@mnist/models/node';
import { CliError } from '../errors';

/** The backend that was set up, and why (shown in the header and the `start` event). */
export interface BackendInfo {
  readonly name: string;
  readonly reason: string;
}

/**
 * Sets up the tfjs backend through @mnist/models' Node entry (`auto` prefers tfjs-node, then wasm,
 * then cpu; `MNIST_BACKEND` can force one) and says which one and why, in the CLI's words.
 * @throws CliError naming `--backend` when the backend asked for cannot be used
 */
export async function initBackendFor(choice: NodeBackendPreference): Promise<BackendInfo> {
  let name: string;
  try {
    // Quiet: the reason is shown in the header (a console.warn would tear through the dashboard).
    name = await initBackend(choice, { log: false });
  } catch (error) {
    if (choice === 'auto' || !(error instanceof MnistModelError) || error.code !== 'BACKEND_UNAVAILABLE')
      throw error;
    const why = firstLine(error.cause ?? error);
    const hint =
      choice === 'tensorflow'
        ? 'The native backend needs @tensorflow/tfjs-node 4.22 with its libtensorflow; or use --backend auto.'
        : 'Use --backend auto to take the best backend that works.';
    throw new CliError(`--backend ${choice} cannot be used here: ${why}. ${hint}`, {
      code: error.code,
      cause: error,
    });
  }
  const info = backendInfo();
  const reason =
    info?.chosenBy === 'option'
      ? `${name}: chosen with --backend ${name}`
      : (info?.reason ?? 'chosen by @mnist/models');
  return { name, reason: shortenReason(reason) };
}

/** Keeps the reason to one readable clause: the native addon's long error goes, the gist stays. */
export function shortenReason(reason: string, max = 90): string {
  if (reason.length <= max) return reason;
  const withoutDetails = reason.replace(/\s*\((?:[^()]|\([^()]*\))*\)/g, '');
  return withoutDetails.length <= max ? withoutDetails : `${withoutDetails.slice(0, max - 1)}…`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').replace(/\.$/, '');
}
