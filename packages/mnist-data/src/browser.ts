/**
 * `@mnist/data` for browsers (and any runtime with `fetch`, `DecompressionStream` and WebCrypto): the universal
 * core, plus a `loadMnist` that fetches the files from a base URL.
 *
 * @packageDocumentation
 */
import { datasetInfo, type SplitName } from './datasets.js';
import { MnistDataError } from './errors.js';
import type { LoadOptions, MnistData } from './types.js';
import { loadFromUrl } from './url-loader.js';

export * from './core.js';

/**
 * Loads and verifies MNIST (or Fashion-MNIST) in a browser: fetches the four files (or, with `splits`, the two of
 * each split asked for) from `options.baseUrl` (e.g. `'/data/mnist/'`, relative to the page), inflates them with
 * `DecompressionStream` and checks their SHA-256 before returning them. Options about directories, the cache and
 * mirrors apply to Node only. The same as {@link loadFromUrl}, with a message when `baseUrl` is missing.
 *
 * @throws {@link MnistDataError} `BAD_INPUT` without `baseUrl`; `DOWNLOAD_FAILED`, `TOO_LARGE`, `ABORTED`,
 * `CHECKSUM_MISMATCH` or a decoding code otherwise.
 */
export async function loadMnist<S extends SplitName = SplitName>(
  options: LoadOptions<S> = {},
): Promise<MnistData<S>> {
  if (options.baseUrl === undefined) {
    const info = datasetInfo(options.dataset ?? 'mnist');
    throw new MnistDataError(
      'BAD_INPUT',
      `In a browser, loadMnist needs a baseUrl: serve the four ${info.title} files (e.g. ${info.files.trainImages}.gz) ` +
        "from your site and call loadMnist({ baseUrl: '/path/to/them/' }).",
    );
  }
  return loadFromUrl({ ...options, baseUrl: options.baseUrl });
}
