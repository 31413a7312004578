import {
  BACKEND_NAMES,
  type BackendName,
  isModelChoice,
  type ModelChoice,
  PRETRAINED,
} from './inference/names';

/** Test-set sizes the explorer offers. */
export const EXPLORER_SIZES = [100, 1000, 10000] as const;

/** Start-up choices: from the page's query string (shareable links, CI), else from the visitor's last visit. */
export interface DemoSettings {
  model: ModelChoice;
  backend: BackendName;
  /** How many test images the explorer evaluates by default (1..10,000). */
  explorerSize: number;
  /** Threads training may use (`?threads=1` forces one, for measurements); absent: what the page allows. */
  trainThreads?: number;
}

/** The model and backend, as the URL and storage keep them. */
export type Choice = Pick<DemoSettings, 'model' | 'backend'>;

/**
 * Default settings: the most accurate pretrained model, on the whole test set, on wasm: for models this small one
 * classification is about a millisecond on wasm, while webgl pays a GPU round trip per call (and is
 * software-rendered where there is no GPU). Visitors can switch; an unavailable backend falls back along
 * webgl → wasm → cpu.
 */
export const DEFAULT_SETTINGS: DemoSettings = {
  model: PRETRAINED[0] as ModelChoice,
  backend: 'wasm',
  explorerSize: 10000,
};

/** Where the last choice is remembered (localStorage). */
export const CHOICE_STORAGE_KEY = 'mnist-demo:choice';

const isBackend = (v: unknown): v is BackendName => (BACKEND_NAMES as readonly unknown[]).includes(v);

function parseStored(stored: string | null | undefined): Partial<Choice> {
  if (!stored) return {};
  try {
    const value = JSON.parse(stored) as Record<string, unknown>;
    return {
      ...(isModelChoice(value?.model) && { model: value.model }),
      ...(isBackend(value?.backend) && { backend: value.backend }),
    };
  } catch {
    return {};
  }
}

/**
 * Reads `?model=mlp&backend=wasm&n=500`; what the URL does not say comes from the stored choice of the last visit,
 * then the defaults. Unknown or malformed values are ignored rather than breaking the page.
 */
export function parseSettings(search: string, stored?: string | null): DemoSettings {
  const params = new URLSearchParams(search);
  const model = params.get('model');
  const backend = params.get('backend');
  const n = Number(params.get('n'));
  const threads = Number(params.get('threads'));
  const remembered = parseStored(stored);
  return {
    model: isModelChoice(model) ? model : (remembered.model ?? DEFAULT_SETTINGS.model),
    backend: isBackend(backend) ? backend : (remembered.backend ?? DEFAULT_SETTINGS.backend),
    explorerSize: Number.isInteger(n) && n >= 1 && n <= 10000 ? n : DEFAULT_SETTINGS.explorerSize,
    ...(params.has('threads') &&
      Number.isInteger(threads) &&
      threads >= 1 &&
      threads <= 64 && { trainThreads: threads }),
  };
}

/** The query string with the choice written in (other parameters kept), so the address bar is a shareable link. */
export function withChoice(search: string, choice: Choice): string {
  const params = new URLSearchParams(search);
  params.set('model', choice.model);
  params.set('backend', choice.backend);
  return `?${params.toString()}`;
}

/** The choice as stored. */
export function storeChoice(choice: Choice): string {
  return JSON.stringify({ model: choice.model, backend: choice.backend });
}
