import { backendChain } from './chain.js';
import { type NativeCause, nativeCause } from './native-cause.js';
import {
  type BackendAttempt,
  type BackendInfo,
  type InitBackendOptions,
  NODE_BACKEND_NAMES,
} from './types.js';

/** Backends the Node entry can use; `auto` tries them in this order: tensorflow, wasm, cpu. */
export type NodeBackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** Environment variable that forces a backend when `initBackend` is not given one explicitly. */
export const BACKEND_ENV_VAR = 'MNIST_BACKEND';

/** Why tfjs-node failed, read from its error and the running Node's version. */
function nodeCause(attempt: BackendAttempt): NativeCause | undefined {
  const version = (globalThis as { process?: { version?: string } }).process?.version ?? '';
  return nativeCause(attempt.error, version);
}

const chain = backendChain<Exclude<NodeBackendPreference, 'auto'>, InitBackendOptions>({
  order: NODE_BACKEND_NAMES,
  async load(name) {
    if (name === 'tensorflow') {
      // libtensorflow logs CPU-feature and device banners at start-up (INFO); keep its warnings and errors unless
      // the user chose a level.
      const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
      if (env !== undefined) env.TF_CPP_MIN_LOG_LEVEL ??= '1';
      await import('@tensorflow/tfjs-node');
    } else if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    else await import('@tensorflow/tfjs-backend-cpu');
  },
  environment() {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
      BACKEND_ENV_VAR
    ]
      ?.trim()
      .toLowerCase();
    if (value === undefined || value === '') return undefined;
    return { name: value as NodeBackendPreference, variable: BACKEND_ENV_VAR };
  },
  firstChoiceReason: (name) =>
    name === 'tensorflow'
      ? `${name}: auto picked the native TensorFlow backend (@tensorflow/tfjs-node)`
      : `${name}: auto picked the first backend that works`,
  describeSkip: (attempt: BackendAttempt) => {
    if (attempt.name !== 'tensorflow') return `${attempt.name} failed (${attempt.error})`;
    const cause = nodeCause(attempt);
    if (cause !== undefined)
      return `@tensorflow/tfjs-node: ${cause.short} (${cause.advice}), so the native backend is off`;
    return /smoke test/.test(attempt.error)
      ? `@tensorflow/tfjs-node loaded but failed its smoke test (${attempt.error}), so the native backend is off`
      : '@tensorflow/tfjs-node (optional) is not installed or its native library is missing, so the native backend is off';
  },
  whyUnavailable: (attempt: BackendAttempt) =>
    attempt.name === 'tensorflow' ? nodeCause(attempt)?.short : undefined,
  hint: (name) =>
    name === 'tensorflow'
      ? 'Install @tensorflow/tfjs-node 4.22 (it downloads libtensorflow at install time), or use auto.'
      : `Reinstall @tensorflow/tfjs-backend-${name} 4.22, or use auto.`,
});

/**
 * Chooses and activates the tfjs backend for Node, resolving to its name.
 *
 * - An explicit `preference` other than `auto` is used as given (and fails loudly if it cannot load).
 * - Otherwise `MNIST_BACKEND` (`tensorflow`, `wasm`, `cpu` or `auto`) decides, if set.
 * - `auto` takes `tensorflow` when the optional `@tensorflow/tfjs-node` loads and passes a smoke test (a 2×2
 *   matMul), else `wasm`, else `cpu`, and says once (through `options.log`) why it skipped the faster ones.
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
): Promise<Exclude<NodeBackendPreference, 'auto'>> {
  return chain.initBackend(preference, options);
}

/** The backend chosen by the last successful {@link initBackend}, and why; `undefined` before that. */
export function backendInfo(): BackendInfo | undefined {
  return chain.backendInfo();
}
