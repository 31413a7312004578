// Node's modules fetched at call time (`process.getBuiltinModule`, Node ≥ 20.16), not imported: code shared by a
// package's Node and browser entries (@mnist/models' saveModel) can import the modules that use this, and browser
// bundles never see a Node built-in.

type Fs = typeof import('node:fs');
type FsPromises = typeof import('node:fs/promises');
type Path = typeof import('node:path');

/** Node's file system and path modules, or an error saying that `operation` needs Node. */
export function nodeModules(operation: string): { fs: Fs; fsp: FsPromises; path: Path; pid: number } {
  const process = (globalThis as { process?: { pid: number; getBuiltinModule?: (id: string) => unknown } })
    .process;
  if (process?.getBuiltinModule === undefined) {
    throw new Error(`${operation} writes a file, which needs Node.js ≥ 20.19.`);
  }
  return {
    fs: process.getBuiltinModule('node:fs') as Fs,
    fsp: process.getBuiltinModule('node:fs/promises') as FsPromises,
    path: process.getBuiltinModule('node:path') as Path,
    pid: process.pid,
  };
}
