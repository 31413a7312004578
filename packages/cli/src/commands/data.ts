import type { MnistSplit } from '@mnist/data';
import type { DataOptions } from '../args/commands';
import { describeError } from '../errors';
import { formatCount } from '../render/format';
import { terminalSafe, terminalSafeMessage } from '../render/terminal-safe';
import type { CommandContext, CommandOutcome } from '../run/context';
import { loadData } from '../run/data';

/** Label counts of a split, index = label. */
function labelCounts(split: MnistSplit, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of split.labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

/**
 * `mnist data`: finds (or downloads) and verifies each data set, then says where it was found and
 * what it holds. A data set that cannot be had is reported with the library's advice; exit code 1 then.
 */
export async function runData(options: DataOptions, context: CommandContext): Promise<CommandOutcome> {
  let failed = 0;
  for (const dataset of options.datasets) {
    const started = performance.now();
    try {
      const data = await loadData(
        { dataset, dataDir: options.dataDir, download: options.download },
        context.signal,
        context.progress,
      );
      const classes = data.classNames.length;
      const seconds = (performance.now() - started) / 1000;
      const splits = { train: data.train, test: data.test };
      if (options.json) {
        context.print(
          `${JSON.stringify({
            dataset,
            ok: true,
            verified: true,
            source: data.source,
            seconds,
            classNames: data.classNames,
            train: {
              count: data.train.count,
              rows: data.train.rows,
              cols: data.train.cols,
              labelCounts: labelCounts(data.train, classes),
            },
            test: {
              count: data.test.count,
              rows: data.test.rows,
              cols: data.test.cols,
              labelCounts: labelCounts(data.test, classes),
            },
          })}\n`,
        );
        continue;
      }
      const lines = [
        `${dataset}: verified (SHA-256 of all four files) in ${seconds.toFixed(1)} s`,
        `  found: ${data.source.kind} · ${data.source.location}`,
        `  classes: ${data.classNames.map((name, i) => (name === String(i) ? name : `${i} ${name}`)).join(', ')}`,
      ];
      for (const [name, split] of Object.entries(splits)) {
        lines.push(
          `  ${name.padEnd(5)} ${formatCount(split.count).padStart(6)} images ${split.rows}×${split.cols} · per label: ${labelCounts(
            split,
            classes,
          )
            .map(formatCount)
            .join(' ')}`,
        );
      }
      context.print(`${terminalSafe(lines.join('\n'), { lines: true })}\n`);
    } catch (error) {
      if (context.signal.aborted) throw error;
      failed++;
      const report = describeError(error);
      // The failure on stderr; with --json, its record among the results too.
      if (options.json) {
        context.print(
          `${JSON.stringify({ dataset, ok: false, error: report.message, code: report.code })}\n`,
        );
      }
      const message = terminalSafeMessage(report.message, report.quoted).replace(/\n/g, '\n  ');
      context.printError(`mnist: ${dataset}: NOT AVAILABLE\n  ${message}\n`);
    }
  }
  return failed > 0 ? 'failed' : 'ok';
}
