/** tfjs backends this package knows how to set up, as a list (e.g. for command-line choices). */
export const BACKEND_NAMES = ['tensorflow', 'webgl', 'wasm', 'cpu'] as const;

/** tfjs backends this package knows how to set up. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The backends `@mnist/models/node`'s `initBackend` can set up, in the order `auto` tries them. */
export const NODE_BACKEND_NAMES: readonly Exclude<BackendName, 'webgl'>[] = ['tensorflow', 'wasm', 'cpu'];

/** What happened when one backend was tried. */
export interface BackendAttempt {
  /** The backend tried. */
  name: BackendName;
  /** Why it could not be used (first line of the error). */
  error: string;
}

/** The active backend and how it was chosen. */
export interface BackendInfo {
  /** The backend now active in tfjs. */
  name: BackendName;
  /** One sentence: how it was chosen and why the ones before it were not. */
  reason: string;
  /** What chose it: automatic order, an explicit option, or the `MNIST_BACKEND` environment variable. */
  chosenBy: 'auto' | 'option' | 'env';
  /** Backends tried before it that failed, in order. */
  skipped: BackendAttempt[];
  /** wasm only: whether the SIMD build is in use. */
  simd?: boolean;
  /** wasm only: worker threads in use (1 in Node, where tfjs turns threads off). */
  threads?: number;
}

/** Options shared by the Node and browser `initBackend`. */
export interface InitBackendOptions {
  /**
   * Where the one-line notice goes when `auto` has to fall back (for example "tfjs-node is not installed").
   * Default `console.warn` (stderr); `false` keeps quiet. It is printed at most once per process.
   */
  log?: ((message: string) => void) | false;
}
