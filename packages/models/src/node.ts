/**
 * `@mnist/models/node`: everything in `@mnist/models`, plus `initBackend` for Node — native `tensorflow` when
 * the optional `@tensorflow/tfjs-node` loads, else `wasm`, else `cpu` (or forced by option / `MNIST_BACKEND`).
 *
 * @packageDocumentation
 */
export * from './index.js';
export { BACKEND_ENV_VAR, backendInfo, initBackend, type NodeBackendPreference } from './backend/node.js';
