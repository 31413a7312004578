import { getBackend } from '@tensorflow/tfjs-core';
import { MnistModelError } from '../errors.js';
import { activate, firstLine, noticeOnce } from './activate.js';
import type { BackendAttempt, BackendInfo, BackendName, InitBackendOptions } from './types.js';

/** Backends the Node entry can use; `auto` tries them in this order: tensorflow, wasm, cpu. */
export type NodeBackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** Environment variable that forces a backend when `initBackend` is not given one explicitly. */
export const BACKEND_ENV_VAR = 'MNIST_BACKEND';

const NODE_ORDER: readonly Exclude<NodeBackendPreference, 'auto'>[] = ['tensorflow', 'wasm', 'cpu'];

/** Imports the package that registers a backend with tfjs (a side effect of importing it). */
async function register(name: Exclude<NodeBackendPreference, 'auto'>): Promise<void> {
  if (name === 'tensorflow') {
    // libtensorflow logs CPU-feature and device banners at start-up (INFO); keep its warnings and errors unless
    // the user chose a level.
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    if (env !== undefined) env.TF_CPP_MIN_LOG_LEVEL ??= '1';
    await import('@tensorflow/tfjs-node');
  } else if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else await import('@tensorflow/tfjs-backend-cpu');
}

let current: BackendInfo | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Chooses and activates the tfjs backend for Node, resolving to its name.
 *
 * - An explicit `preference` other than `auto` is used as given (and fails loudly if it cannot load).
 * - Otherwise `MNIST_BACKEND` (`tensorflow`, `wasm`, `cpu` or `auto`) decides, if set.
 * - `auto` takes `tensorflow` when the optional `@tensorflow/tfjs-node` loads, else `wasm`, else `cpu`, and
 *   says once (through `options.log`) why it skipped the faster ones.
 *
 * On wasm, the gradient kernels the `cnn` needs are registered first. {@link backendInfo} tells what was
 * chosen and why. Calling again with the same choice is cheap; a different choice switches backends.
 *
 * @throws MnistModelError `BACKEND_UNAVAILABLE` when a forced backend cannot be used, `BAD_INPUT` for an
 *   unknown name
 */
export function initBackend(
  preference: NodeBackendPreference = 'auto',
  options: InitBackendOptions = {},
): Promise<BackendName> {
  const run = queue.then(() => choose(preference, options));
  queue = run.catch(() => undefined);
  return run;
}

/** The backend chosen by the last successful {@link initBackend}, and why; `undefined` before that. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}

async function choose(preference: NodeBackendPreference, options: InitBackendOptions): Promise<BackendName> {
  if (!isPreference(preference)) throw unknownBackend(String(preference), 'initBackend');
  // The environment variable only speaks when the caller left the choice to auto.
  const environment = preference === 'auto' ? readEnvironment() : undefined;
  let wanted: NodeBackendPreference = preference;
  let chosenBy: BackendInfo['chosenBy'] = preference === 'auto' ? 'auto' : 'option';
  if (preference === 'auto' && environment !== undefined && environment !== 'auto') {
    wanted = environment;
    chosenBy = 'env';
  }
  if (
    current !== undefined &&
    getBackend() === current.name &&
    (wanted === 'auto' ? current.chosenBy === 'auto' : current.name === wanted)
  ) {
    return current.name;
  }
  if (wanted !== 'auto') {
    try {
      await register(wanted);
      const details = await activate(wanted);
      const why = chosenBy === 'env' ? `${BACKEND_ENV_VAR}=${wanted}` : `initBackend('${wanted}')`;
      current = { name: wanted, reason: `${wanted}: forced by ${why}`, chosenBy, skipped: [], ...details };
      return wanted;
    } catch (error) {
      throw new MnistModelError(
        'BACKEND_UNAVAILABLE',
        `The ${wanted} backend was requested (${chosenBy === 'env' ? BACKEND_ENV_VAR : 'initBackend option'}) but ` +
          `cannot be used: ${firstLine(error)}. ${hint(wanted)}`,
        { cause: error },
      );
    }
  }
  const skipped: BackendAttempt[] = [];
  for (const name of NODE_ORDER) {
    try {
      await register(name);
      const details = await activate(name);
      const reason =
        skipped.length === 0
          ? `${name}: auto picked the native TensorFlow backend (@tensorflow/tfjs-node)`
          : `${name}: auto fell back because ${skipped.map((s) => `${s.name} is unavailable (${s.error})`).join('; ')}`;
      if (skipped.length > 0) {
        noticeOnce(
          `@mnist/models: using the ${name} backend; ${skipped.map((s) => describeSkip(s)).join('; ')}.`,
          options,
        );
      }
      current = { name, reason, chosenBy: 'auto', skipped, ...details };
      return name;
    } catch (error) {
      skipped.push({ name, error: firstLine(error) });
    }
  }
  throw new MnistModelError(
    'BACKEND_UNAVAILABLE',
    `No tfjs backend could be initialised: ${skipped.map((s) => `${s.name}: ${s.error}`).join('; ')}.`,
  );
}

function describeSkip(attempt: BackendAttempt): string {
  return attempt.name === 'tensorflow'
    ? '@tensorflow/tfjs-node (optional) is not installed or its native library is missing, so the native backend is off'
    : `${attempt.name} failed (${attempt.error})`;
}

function hint(name: Exclude<NodeBackendPreference, 'auto'>): string {
  if (name === 'tensorflow') {
    return 'Install @tensorflow/tfjs-node 4.22 (it downloads libtensorflow at install time), or use auto.';
  }
  return `Reinstall @tensorflow/tfjs-backend-${name} 4.22, or use auto.`;
}

function isPreference(value: string): value is NodeBackendPreference {
  return value === 'auto' || (NODE_ORDER as readonly string[]).includes(value);
}

function unknownBackend(value: string, where: string): MnistModelError {
  return new MnistModelError(
    'BAD_INPUT',
    `Unknown backend '${value}' in ${where}. Choose one of: auto, ${NODE_ORDER.join(', ')}.`,
  );
}

function readEnvironment(): NodeBackendPreference | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
    BACKEND_ENV_VAR
  ]
    ?.trim()
    .toLowerCase();
  if (value === undefined || value === '') return undefined;
  if (!isPreference(value)) throw unknownBackend(value, BACKEND_ENV_VAR);
  return value;
}
