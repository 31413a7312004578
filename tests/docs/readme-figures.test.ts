// The READMEs quote training runs (the CLI's captured output, result tables); training is deterministic, so every
// figure they quote for a shipped model must be the one in @mnist/models' manifest, written by the script that
// trained the weights. When the code's arithmetic changes, the weights are retrained and the captures re-run:
// this test fails until both are done.
import { readFileSync } from 'node:fs';
import {
  DEFAULT_VERDICT_THRESHOLDS,
  type DrawnSetFigures,
  drawnBenchmark,
  type PretrainedEntry,
  pretrainedManifest,
} from '@mnist/models';
import { describe, expect, it } from 'vitest';

const repo = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, repo), 'utf8');
const percent = (fraction: number) => (fraction * 100).toFixed(2);

function entry(name: string): PretrainedEntry {
  const found = pretrainedManifest[name as keyof typeof pretrainedManifest];
  if (!found) throw new Error(`no manifest entry for '${name}'`);
  return found;
}

/** Every figure a captured `mnist train` run shows for a model, checked against the manifest; returns how many. */
function checkCapture(text: string): number {
  let checked = 0;
  for (const m of text.matchAll(/^(\w+) epoch (\d+)\/(\d+) · loss ([\d.]+) · accuracy ([\d.]+)%/gm)) {
    const [, name = '', epoch, epochs, loss, accuracy] = m;
    const logged = entry(name).epochs[Number(epoch) - 1];
    expect(Number(epochs), m[0]).toBe(entry(name).recipe.epochs);
    expect(loss, m[0]).toBe(logged?.loss.toFixed(4));
    expect(accuracy, m[0]).toBe(percent(logged?.accuracy ?? Number.NaN));
    checked++;
  }
  for (const m of text.matchAll(/^(\w+) test accuracy ([\d.]+)% · loss ([\d.]+) · ([\d,]+) images/gm)) {
    const [, name = '', accuracy, loss, images] = m;
    expect(accuracy, m[0]).toBe(percent(entry(name).testAccuracy));
    expect(loss, m[0]).toBe(entry(name).testLoss.toFixed(4));
    expect(Number(images?.replace(/,/g, '')), m[0]).toBe(entry(name).testImages);
    checked++;
  }
  for (const m of text.matchAll(/Test accuracy: ((?:\w+ [\d.]+%(?:, )?)+)/g)) {
    for (const [, name = '', accuracy] of (m[1] ?? '').matchAll(/(\w+) ([\d.]+)%/g)) {
      expect(accuracy, m[0]).toBe(percent(entry(name).testAccuracy));
      checked++;
    }
  }
  for (const m of text.matchAll(
    /^(\w+): .* · ([\d,]+) parameters · (\d+) epochs, batch (\d+), Adam lr ([\d.]+)/gm,
  )) {
    const [, name = '', params, epochs, batch, lr] = m;
    const { recipe } = entry(name);
    expect(Number(params?.replace(/,/g, '')), m[0]).toBe(entry(name).params);
    expect([Number(epochs), Number(batch), Number(lr)], m[0]).toEqual([
      recipe.epochs,
      recipe.batchSize,
      recipe.learningRate,
    ]);
    checked++;
  }
  return checked;
}

describe('captured runs of the tutorial flow', () => {
  it.each(['README.md', 'packages/cli/README.md'])(
    '%s shows the manifest figures of simple and mlp',
    (path) => {
      const text = read(path);
      expect(checkCapture(text)).toBeGreaterThanOrEqual(2 * (5 + 1 + 1));
      // Captured with the CLI's default seed, which is the manifest's.
      const backend = /· backend (\w+)/.exec(text)?.[1];
      expect(backend).toBe(entry('mlp').backend);
    },
  );

  it('the root README names the seed and the accuracies of the capture', () => {
    const sentence = /we get ([\d.]+)% and ([\d.]+)% \(seed (\d+)/.exec(read('README.md'));
    expect(sentence?.slice(1)).toEqual([
      percent(entry('simple').testAccuracy),
      percent(entry('mlp').testAccuracy),
      String(entry('mlp').seed),
    ]);
    expect(entry('simple').seed).toBe(entry('mlp').seed);
  });
});

describe("@mnist/models' README tables", () => {
  const text = read('packages/models/README.md');

  it('quote each model at its manifest test accuracy (and loss, where given) in the tables of shipped figures', () => {
    let rows = 0;
    // Tables whose header has a "test accuracy" column; other tables (benchmarks on other sets) are not the manifest's.
    for (const table of text.split(/\n(?!\|)/).filter((block) => /^\|.*test accuracy/m.test(block))) {
      for (const m of table.matchAll(/^\| `(simple|mlp|cnn)` \|(.*)$/gm)) {
        const [, name = '', cells = ''] = m;
        const accuracy = /([\d.]+)%/.exec(cells)?.[1];
        if (accuracy === undefined) continue;
        expect(accuracy, m[0]).toBe(percent(entry(name).testAccuracy));
        const loss = /\| ([\d.]+) \|/.exec(cells)?.[1];
        if (loss?.includes('.')) expect(loss, m[0]).toBe(entry(name).testLoss.toFixed(4));
        rows++;
      }
    }
    expect(rows).toBeGreaterThanOrEqual(5);
  });
});

/** The rows of the markdown table that follows the line starting with `title` in `text`, as trimmed cells. */
function tableAfter(text: string, title: string): { intro: string; header: string[]; rows: string[][] } {
  const at = `\n${text}`.indexOf(`\n${title}`);
  if (at < 0) throw new Error(`no line starting with '${title}'`);
  const lines = text.slice(at).split('\n');
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim());
  const table = lines
    .slice(2)
    .filter((_, i, all) => all.slice(0, i + 1).every((line) => line.startsWith('|')));
  const [header = '', , ...rows] = table;
  return { intro: lines[0] ?? '', header: cells(header), rows: rows.map(cells) };
}

describe("@mnist/models' README drawn-digit figures (bench:drawn)", () => {
  const readme = read('packages/models/README.md');
  const block = /<!-- bench:drawn:start -->\n([\s\S]*?)<!-- bench:drawn:end -->/.exec(readme)?.[1] ?? '';
  const models = Object.entries(drawnBenchmark.models).flatMap(([name, m]) => (m ? [{ ...m, name }] : []));
  const sets = (m: (typeof models)[number]): [string, DrawnSetFigures | undefined][] => [
    ['MNIST test', m.mnistTest],
    ...drawnBenchmark.parts.map((p): [string, DrawnSetFigures | undefined] => [p.name, m.drawn[p.name]]),
  ];
  const rerun = `paste the tables \`${drawnBenchmark.command}\` prints`;

  it('quotes the accuracy table of the generated module: every model, MNIST test and every part', () => {
    const { intro, header, rows } = tableAfter(block, 'Accuracy (');
    const images = models[0]?.mnistTest.images.toLocaleString('en-US');
    expect(intro, rerun).toBe(
      `Accuracy (MNIST test: ${images} images; each drawn part: the first ${drawnBenchmark.digits.toLocaleString('en-US')} test digits):`,
    );
    expect(header, rerun).toEqual(['set', ...models.map((m) => `\`${m.name}\``)]);
    expect(
      rows.map((row) => row[0]),
      rerun,
    ).toEqual(['MNIST test', ...drawnBenchmark.parts.map((p) => `\`${p.name}\`: ${p.plain}`)]);
    rows.forEach((row, r) => {
      models.forEach((m, c) => {
        const [set, figures] = sets(m)[r] ?? [];
        expect(row[c + 1], `${m.name} on ${set}: ${rerun}`).toBe(
          `${percent(figures?.accuracy ?? Number.NaN)}%`,
        );
      });
    });
  });

  it('quotes its calibration table: each temperature, and ECE before → after on every set', () => {
    const { header, rows } = tableAfter(block, 'Expected calibration error');
    expect(header, rerun).toEqual(['set', ...models.map((m) => `\`${m.name}\``)]);
    const [temperatures = [], ...eceRows] = rows;
    expect(temperatures, rerun).toEqual([
      'temperature T',
      ...models.map(
        (m) =>
          `${m.temperature.value.toFixed(2)} (${m.temperature.source === 'shipped' ? 'shipped' : 'fitted on seen digits'})`,
      ),
    ]);
    expect(eceRows.length, rerun).toBe(1 + drawnBenchmark.parts.length);
    eceRows.forEach((row, r) => {
      models.forEach((m, c) => {
        const [set, figures] = sets(m)[r] ?? [];
        const { before = Number.NaN, after = Number.NaN } = figures?.ece ?? {};
        expect(row[c + 1], `${m.name} on ${set}: ${rerun}`).toBe(
          `${before.toFixed(3)} → ${after.toFixed(3)}`,
        );
      });
    });
  });

  it('quotes the held-out choice of verdict thresholds, and how every model does at the thresholds in use', () => {
    const { intro, rows } = tableAfter(block, 'Verdicts at');
    const v = drawnBenchmark.verdictThresholds;
    const inUse = drawnBenchmark.verdictsInUse.thresholds;
    expect(inUse).toEqual(DEFAULT_VERDICT_THRESHOLDS);
    expect(intro, rerun).toContain(`minConfidence ${inUse.minConfidence}, minMargin ${inUse.minMargin} `);
    expect(block, rerun).toContain(
      `would be minConfidence ${v.thresholds.minConfidence}, minMargin ${v.thresholds.minMargin}: ` +
        `there ${percent(v.coverage)}% confident, ${percent(v.confidentError)}% of those wrong; on the ` +
        `benchmark's drawings ${percent(v.onTestDrawings.coverage)}% confident, ` +
        `${percent(v.onTestDrawings.confidentError)}% of those wrong.`,
    );
    expect(block, rerun).toContain(`at most ${percent(v.maxConfidentError)}% of them wrong`);
    expect(
      rows.map((row) => row[0]),
      rerun,
    ).toEqual(models.map((m) => `\`${m.name}\``));
    rows.forEach((row, r) => {
      const { drawn, mnistTest } = models[r]?.verdicts ?? {};
      const figures = [drawn?.coverage, drawn?.confidentError, drawn?.errorsFlagged, drawn?.uncertainTopTwo];
      figures.push(mnistTest?.coverage, mnistTest?.confidentError, mnistTest?.errorsFlagged);
      expect(row.slice(1), `${row[0]}: ${rerun}`).toEqual(figures.map((f) => `${percent(f ?? Number.NaN)}%`));
    });
  });

  it('names the default verdict thresholds the code has', () => {
    const quoted = /`DEFAULT_VERDICT_THRESHOLDS` \(top probability ≥ ([\d.]+) and ≥ ([\d.]+) ahead/.exec(
      readme,
    );
    expect(quoted?.slice(1).map(Number)).toEqual([
      DEFAULT_VERDICT_THRESHOLDS.minConfidence,
      DEFAULT_VERDICT_THRESHOLDS.minMargin,
    ]);
  });
});
