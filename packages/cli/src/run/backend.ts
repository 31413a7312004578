import { initBackend } from '@mnist/models/node';
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
  const chosen = await initBackend(choice);
  return { name: chosen.name, reason: chosen.reason };
}
