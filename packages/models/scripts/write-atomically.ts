// Only for scripts/build-wasm.ts's import, which moves with the engine (issue 24): every other script and benchmark
// imports the workspace's one atomic write from @mnist/data itself. Delete this file once build-wasm.ts does.
export { writeFileAtomicallySync as writeAtomically } from '@mnist/data';
