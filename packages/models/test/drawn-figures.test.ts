// The drawn-digit figures @mnist/models exports (`drawnBenchmark`, written by `bench:drawn`) describe what ships:
// the weights in src/generated/pretrained and the benchmark (test/support/drawn, test/fixtures/drawn). After new
// weights ship, this fails until `pnpm --filter @mnist/models bench:drawn` is run again. And the README's tables
// print as this data says.
import { describe, expect, it } from 'vitest';
import { readManifest } from './support/drawn/files.js';
import { DRAWN_PARTS } from './support/drawn/parts.js';
import { accuracyTable, calibrationTable, verdictTable } from './support/drawn/report.js';
import { drawnBenchmark, pretrainedManifest } from '../src/index.js';

const RERUN = `re-run \`${drawnBenchmark.command || 'pnpm --filter @mnist/models bench:drawn'}\``;
const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

describe('drawnBenchmark', () => {
  it('was measured on the pretrained weights that ship, every one of them', () => {
    expect(Object.keys(drawnBenchmark.models), RERUN).toEqual(Object.keys(pretrainedManifest));
    for (const [name, entry] of Object.entries(pretrainedManifest)) {
      const figures = drawnBenchmark.models[name as keyof typeof pretrainedManifest];
      expect(figures?.trainedAt, `${name}: ${RERUN}`).toBe(entry?.date);
      // Same weights, same images: the benchmark's MNIST test accuracy is the training script's.
      expect(figures?.mnistTest.accuracy, name).toBeCloseTo(entry?.testAccuracy ?? Number.NaN, 3);
      expect(figures?.temperature.source, name).toBe(
        entry?.calibration === undefined ? 'fitted-on-seen-digits' : 'shipped',
      );
    }
  });

  it('describes the committed benchmark: its digits and parts, in order, with their descriptions', () => {
    const manifest = readManifest();
    expect(drawnBenchmark.digits, RERUN).toBe(manifest.source.count);
    expect(drawnBenchmark.parts, RERUN).toEqual(
      DRAWN_PARTS.map((part) => ({
        name: part.name,
        description: manifest.parts[part.name]?.description,
        plain: part.plain,
      })),
    );
  });
});

describe("bench:drawn's tables", () => {
  const models = ['simple', 'mlp', 'cnn'] as const;

  it('accuracy: MNIST test, then one row per part with its plain description; one column per model', () => {
    const lines = accuracyTable(drawnBenchmark).split('\n');
    expect(lines[0]).toBe(
      `Accuracy (MNIST test: 10,000 images; each drawn part: the first ${drawnBenchmark.digits.toLocaleString('en-US')} test digits):`,
    );
    expect(lines[2]).toBe('| set | `simple` | `mlp` | `cnn` |');
    expect(lines[3]).toBe('| --- | ---: | ---: | ---: |');
    expect(lines[4]).toBe(
      `| MNIST test | ${models.map((m) => pct(drawnBenchmark.models[m]?.mnistTest.accuracy ?? Number.NaN)).join(' | ')} |`,
    );
    drawnBenchmark.parts.forEach((part, i) => {
      const cells = models.map((m) =>
        pct(drawnBenchmark.models[m]?.drawn[part.name]?.accuracy ?? Number.NaN),
      );
      expect(lines[5 + i]).toBe(`| \`${part.name}\`: ${part.plain} | ${cells.join(' | ')} |`);
    });
    expect(lines).toHaveLength(5 + drawnBenchmark.parts.length);
  });

  it('calibration: the temperatures, then ECE before → after, three decimals', () => {
    const lines = calibrationTable(drawnBenchmark).split('\n');
    const cnn = drawnBenchmark.models.cnn;
    expect(lines[4]).toMatch(/^\| temperature T \| \d\.\d\d \((shipped|fitted on seen digits)\) \|/);
    expect(lines[4]?.endsWith(`| ${cnn?.temperature.value.toFixed(2)} (shipped) |`)).toBe(
      cnn?.temperature.source === 'shipped',
    );
    expect(
      lines[5]?.endsWith(
        `| ${cnn?.mnistTest.ece.before.toFixed(3)} → ${cnn?.mnistTest.ece.after.toFixed(3)} |`,
      ),
    ).toBe(true);
    expect(lines).toHaveLength(6 + drawnBenchmark.parts.length);
  });

  it('verdicts: the held-out choice first, then one row per model at the thresholds in use', () => {
    const text = verdictTable(drawnBenchmark);
    const chosen = drawnBenchmark.verdictThresholds.thresholds;
    const inUse = drawnBenchmark.verdictsInUse.thresholds;
    expect(text.split('\n')[0]).toContain(
      `would be minConfidence ${chosen.minConfidence}, minMargin ${chosen.minMargin}`,
    );
    expect(text.split('\n')[2]).toBe(
      `Verdicts at the thresholds in use, minConfidence ${inUse.minConfidence}, minMargin ${inUse.minMargin} (\`DEFAULT_VERDICT_THRESHOLDS\`):`,
    );
    const cnn = drawnBenchmark.models.cnn?.verdicts.drawn;
    expect(text).toContain(
      `| \`cnn\` | ${pct(cnn?.coverage ?? Number.NaN)} | ${pct(cnn?.confidentError ?? Number.NaN)} |`,
    );
  });
});
