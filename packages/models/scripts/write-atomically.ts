// The one way the package's scripts and benchmarks write a file that others read (generated modules, manifests,
// benchmark parts, results): whole or not at all.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `data` to `path` through a temporary file beside it and a rename; creates the folder if needed. When
 * either step fails, the temporary file is removed and `path` is as it was.
 */
export function writeAtomically(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
