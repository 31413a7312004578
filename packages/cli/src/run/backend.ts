import { backendInfo, initBackend } from '@mnist/models/node';
import type { BackendChoice } from '../args/commands';

/** The backend that was set up, and why (shown in the header and the `start` event). */
export interface BackendInfo {
  readonly name: string;
  readonly reason: string;
}

/**
 * Sets up the tfjs backend through @mnist/models' Node entry (`auto` prefers tfjs-node, then wasm,
 * then cpu; the environment variable it documents can force one) and says which one and why.
 */
export async function initBackendFor(choice: BackendChoice): Promise<BackendInfo> {
  // Quiet: the reason is shown in the header (a console.warn would tear through the dashboard).
  const name = await initBackend(choice, { log: false });
  return { name, reason: shortenReason(backendInfo()?.reason ?? 'chosen by @mnist/models') };
}

/** Keeps the reason to one readable clause: the native addon's long error goes, the gist stays. */
export function shortenReason(reason: string, max = 90): string {
  if (reason.length <= max) return reason;
  const withoutDetails = reason.replace(/\s*\((?:[^()]|\([^()]*\))*\)/g, '');
  return withoutDetails.length <= max ? withoutDetails : `${withoutDetails.slice(0, max - 1)}…`;
}
