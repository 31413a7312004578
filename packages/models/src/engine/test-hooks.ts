// What the engine's tests reach into and nothing else may: live steps and workers (for leak checks) and a running
// step's plan (to force a failure inside a worker). Only test files import this module (`pnpm arch` checks it).
export { activeWasmSteps, planWords } from './wasm-step.js';
export { liveEngineWorkers } from './workers.js';
