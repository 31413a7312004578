import { getBackend, matMul, setBackend, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { MnistModelError } from '../errors.js';
import { activate, firstLine, noticeOnce } from './activate.js';
import type { BackendAttempt, BackendInfo, BackendName, InitBackendOptions } from './types.js';

/** How one entry point (Node, browser) finds, loads and describes its backends. */
export interface BackendChainConfig<Name extends string, Options extends InitBackendOptions> {
  /** The candidates `auto` tries, in order. */
  order: readonly Name[];
  /** Imports the package that registers `name` with tfjs (a side effect of importing it). */
  load(name: Name, options: Options): Promise<void>;
  /** A forced choice from the environment (Node's `MNIST_BACKEND`), if any; only asked when the caller said auto. */
  environment?(): { name: Name | 'auto'; variable: string } | undefined;
  /** The reason recorded when `auto` took the first candidate. */
  firstChoiceReason(name: Name): string;
  /** How a skipped candidate is described in the one-line fallback notice. */
  describeSkip?(attempt: BackendAttempt): string;
  /** A few words on why a skipped candidate failed, for the recorded reason (undefined: its error says it). */
  whyUnavailable?(attempt: BackendAttempt): string | undefined;
  /** What to do when a forced backend cannot be used. */
  hint?(name: Name): string;
}

/** A backend chooser: one queue of requests, the current choice, and the fallback chain over the candidates. */
export interface BackendChain<Name extends string, Options extends InitBackendOptions> {
  initBackend(preference?: Name | 'auto', options?: Options): Promise<Name>;
  backendInfo(): BackendInfo | undefined;
}

const SMOKE_EXPECTED = [19, 22, 43, 50];

/**
 * A tiny operation every backend must get right before it is chosen: a 2×2 matMul read back. A backend can load
 * and initialise and still be broken (tfjs-node on Node 23+ calls the removed `util.isNullOrUndefined` on its
 * first tensor operations); this catches it while there is still a fallback.
 */
export function smokeTest(): void {
  let values: number[];
  try {
    values = tidy(() =>
      Array.from(matMul(tensor2d([1, 2, 3, 4], [2, 2]), tensor2d([5, 6, 7, 8], [2, 2])).dataSync()),
    );
  } catch (error) {
    throw new Error(`its smoke test (a 2×2 matMul) failed: ${firstLine(error)}`, { cause: error });
  }
  if (values.join() !== SMOKE_EXPECTED.join()) {
    throw new Error(
      `its smoke test (a 2×2 matMul) gave [${values.join(', ')}], not [${SMOKE_EXPECTED.join(', ')}]`,
    );
  }
}

/**
 * The shared queue-and-fallback chain behind the Node and browser `initBackend`. Requests run one at a time;
 * the same choice twice is cheap; a forced backend that fails throws `BACKEND_UNAVAILABLE` and leaves the
 * previous backend active; `auto` walks the candidates and says once (through `options.log`) why it skipped
 * the faster ones. A candidate counts as available only when it loads, initialises and passes {@link smokeTest}.
 */
export function backendChain<Name extends string, Options extends InitBackendOptions>(
  config: BackendChainConfig<Name, Options>,
): BackendChain<Name, Options> {
  let current: BackendInfo | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const isPreference = (value: string): value is Name | 'auto' =>
    value === 'auto' || (config.order as readonly string[]).includes(value);
  const unknown = (value: string, where: string) =>
    new MnistModelError(
      'BAD_INPUT',
      `Unknown backend '${value}' in ${where}. Choose one of: auto, ${config.order.join(', ')}.`,
    );

  /** Loads, activates and smoke-tests one backend; on failure the previously active backend is restored. */
  async function tryBackend(name: Name, options: Options): Promise<Pick<BackendInfo, 'simd' | 'threads'>> {
    const previous = safeBackendName();
    try {
      await config.load(name, options);
      const details = await activate(name as unknown as BackendName);
      smokeTest();
      return details;
    } catch (error) {
      if (previous !== undefined && previous !== name && getBackend() !== previous) {
        await setBackend(previous).catch(() => false);
      }
      throw error;
    }
  }

  /** "tensorflow is unavailable: native addon not built (the error)": the cause before the details. */
  const unavailable = (attempt: BackendAttempt): string => {
    const why = config.whyUnavailable?.(attempt);
    return `${attempt.name} is unavailable${why === undefined ? '' : `: ${why}`} (${attempt.error})`;
  };

  async function choose(preference: Name | 'auto', options: Options): Promise<Name> {
    if (!isPreference(preference)) throw unknown(String(preference), 'initBackend');
    let wanted: Name | 'auto' = preference;
    let chosenBy: BackendInfo['chosenBy'] = preference === 'auto' ? 'auto' : 'option';
    let variable = '';
    if (preference === 'auto' && config.environment !== undefined) {
      const fromEnvironment = config.environment();
      if (fromEnvironment !== undefined) {
        if (!isPreference(fromEnvironment.name))
          throw unknown(fromEnvironment.name, fromEnvironment.variable);
        if (fromEnvironment.name !== 'auto') {
          wanted = fromEnvironment.name;
          chosenBy = 'env';
          variable = fromEnvironment.variable;
        }
      }
    }
    if (
      current !== undefined &&
      safeBackendName() === current.name &&
      (wanted === 'auto' ? current.chosenBy === 'auto' : current.name === wanted)
    ) {
      return current.name as Name;
    }
    if (wanted !== 'auto') {
      try {
        const details = await tryBackend(wanted, options);
        const why = chosenBy === 'env' ? `${variable}=${wanted}` : `initBackend('${wanted}')`;
        current = {
          name: wanted as unknown as BackendName,
          reason: `${wanted}: forced by ${why}`,
          chosenBy,
          skipped: [],
          ...details,
        };
        return wanted;
      } catch (error) {
        throw new MnistModelError(
          'BACKEND_UNAVAILABLE',
          `The ${wanted} backend was requested (${chosenBy === 'env' ? variable : 'initBackend option'}) but ` +
            `cannot be used: ${firstLine(error)}. ${config.hint?.(wanted) ?? 'Use auto.'}`,
          { cause: error },
        );
      }
    }
    const skipped: BackendAttempt[] = [];
    for (const name of config.order) {
      try {
        const details = await tryBackend(name, options);
        const reason =
          skipped.length === 0
            ? config.firstChoiceReason(name)
            : `${name}: auto fell back because ${skipped.map(unavailable).join('; ')}`;
        if (skipped.length > 0) {
          const describe = config.describeSkip ?? ((s: BackendAttempt) => `${s.name} failed (${s.error})`);
          noticeOnce(
            `@mnist/models: using the ${name} backend; ${skipped.map(describe).join('; ')}.`,
            options,
          );
        }
        current = { name: name as unknown as BackendName, reason, chosenBy: 'auto', skipped, ...details };
        return name;
      } catch (error) {
        skipped.push({ name: name as unknown as BackendName, error: firstLine(error) });
      }
    }
    throw new MnistModelError(
      'BACKEND_UNAVAILABLE',
      `No tfjs backend could be initialised: ${skipped.map((s) => `${s.name}: ${s.error}`).join('; ')}.`,
    );
  }

  return {
    initBackend(preference = 'auto', options = {} as Options) {
      const run = queue.then(() => choose(preference, options));
      queue = run.catch(() => undefined);
      return run;
    },
    backendInfo: () => current,
  };
}

/** The active backend's name, or undefined when none could be set up yet. */
function safeBackendName(): string | undefined {
  try {
    return getBackend();
  } catch {
    return undefined;
  }
}
