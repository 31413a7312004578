import { engine, env, ready, setBackend } from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels } from '../tfjs-kernels/index.js';
import type { BackendInfo, BackendName, InitBackendOptions } from './types.js';

/** First line of an error, for one-line reasons. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).trim().replace(/\.$/, '');
}

/**
 * Makes a registered backend the active one. `tf.setBackend` resolves `false` (rather than throwing) when the
 * backend fails to initialise, so that is turned into an error for the caller's fallback chain.
 */
export async function activate(name: BackendName): Promise<Pick<BackendInfo, 'simd' | 'threads'>> {
  // tfjs-backend-wasm 4.22 lacks gradient kernels a CNN needs (Conv2DBackpropFilter); fill them in first.
  if (name === 'wasm') {
    registerWasmTrainingKernels();
  }
  if (!(await setBackend(name))) throw new Error(`tfjs could not initialise the ${name} backend`);
  await ready();
  if (name === 'cpu') quietCpuGreeting();
  if (name !== 'wasm') return {};
  const simd = (await env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = (await env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true ? undefined : 1;
  return { simd, ...(threads !== undefined && { threads }) };
}

/**
 * tfjs-backend-cpu prints a banner ("Hi, looks like you are running TensorFlow.js in Node.js…") on its first
 * tensor in Node. When the cpu backend was chosen here, the reason has already been reported once, so the
 * banner is switched off through the flag the backend itself checks.
 */
function quietCpuGreeting(): void {
  const cpu = engine().findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu !== null && 'firstUse' in cpu) cpu.firstUse = false;
}

let noticeShown = false;

/** Prints a fallback notice through the caller's logger, at most once per process. */
export function noticeOnce(message: string, options: InitBackendOptions): void {
  if (noticeShown || options.log === false) return;
  noticeShown = true;
  (options.log ?? ((line: string) => console.warn(line)))(message);
}
