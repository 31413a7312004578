/**
 * `@mnist/models/browser`: everything in `@mnist/models`, plus `initBackend` for browsers — `webgl`, else
 * `wasm` (with configurable `.wasm` locations), else `cpu`.
 *
 * @packageDocumentation
 */
export * from './index.js';
export {
  type BrowserBackendOptions,
  type BrowserBackendPreference,
  backendInfo,
  initBackend,
} from './backend/browser.js';
