import { BACKEND_NAMES, type BackendName, MODEL_NAMES, type ModelName } from './inference/names';

/** Test-set sizes the explorer offers. */
export const EXPLORER_SIZES = [100, 1000, 10000] as const;

/** Start-up choices, read from the page's query string (handy for sharing a link and for CI). */
export interface DemoSettings {
  model: ModelName;
  backend: BackendName;
  /** How many test images the explorer evaluates by default (1..10,000). */
  explorerSize: number;
}

/**
 * Default settings: the best model, on the whole test set, on wasm: for models this small one classification is
 * about a millisecond on wasm, while webgl pays a GPU round trip per call (and is software-rendered where there is no
 * GPU). Visitors can switch; an unavailable backend falls back along webgl → wasm → cpu.
 */
export const DEFAULT_SETTINGS: DemoSettings = { model: 'cnn', backend: 'wasm', explorerSize: 10000 };

/**
 * Parses `?model=mlp&backend=wasm&n=500`. Unknown or malformed values fall back to the defaults rather than
 * breaking the page.
 */
export function parseSettings(search: string): DemoSettings {
  const params = new URLSearchParams(search);
  const model = params.get('model');
  const backend = params.get('backend');
  const n = Number(params.get('n'));
  return {
    model: (MODEL_NAMES as readonly string[]).includes(model ?? '')
      ? (model as ModelName)
      : DEFAULT_SETTINGS.model,
    backend: (BACKEND_NAMES as readonly string[]).includes(backend ?? '')
      ? (backend as BackendName)
      : DEFAULT_SETTINGS.backend,
    explorerSize: Number.isInteger(n) && n >= 1 && n <= 10000 ? n : DEFAULT_SETTINGS.explorerSize,
  };
}
