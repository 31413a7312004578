// The drawn-digit figures as the markdown the models README quotes (pure): `bench:drawn` prints it, and
// tests/docs/readme-figures.test.ts checks the README's copy against the generated module.
import type { DrawnBenchmarkFigures, DrawnModelFigures, PretrainedName } from '../../../src/index.js';

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
const count = (n: number) => n.toLocaleString('en-US');

/** The shipped models, in the module's order. */
function modelsOf(figures: DrawnBenchmarkFigures): [PretrainedName, Readonly<DrawnModelFigures>][] {
  return Object.entries(figures.models).filter(
    (entry): entry is [PretrainedName, Readonly<DrawnModelFigures>] => entry[1] !== undefined,
  );
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** One row per set (MNIST test, then each part with its plain description), one column per model. */
export function accuracyTable(figures: DrawnBenchmarkFigures): string {
  const models = modelsOf(figures);
  const mnistImages = models[0]?.[1].mnistTest.images ?? 0;
  const rows = [
    [`MNIST test`, ...models.map(([, m]) => pct(m.mnistTest.accuracy))],
    ...figures.parts.map((part) => [
      `\`${part.name}\`: ${part.plain}`,
      ...models.map(([, m]) => pct(m.drawn[part.name]?.accuracy ?? Number.NaN)),
    ]),
  ];
  return (
    `Accuracy (MNIST test: ${count(mnistImages)} images; each drawn part: the first ${count(figures.digits)} ` +
    'test digits):\n\n' +
    table(['set', ...models.map(([name]) => `\`${name}\``)], rows)
  );
}

/** Expected calibration error before → after temperature, one row per set, with each model's temperature first. */
export function calibrationTable(figures: DrawnBenchmarkFigures): string {
  const models = modelsOf(figures);
  const ece = (s: { ece: { before: number; after: number } } | undefined) =>
    s === undefined ? '?' : `${s.ece.before.toFixed(3)} → ${s.ece.after.toFixed(3)}`;
  const rows = [
    [
      'temperature T',
      ...models.map(
        ([, m]) =>
          `${m.temperature.value.toFixed(2)} (${m.temperature.source === 'shipped' ? 'shipped' : 'fitted on seen digits'})`,
      ),
    ],
    ['MNIST test', ...models.map(([, m]) => ece(m.mnistTest))],
    ...figures.parts.map((part) => [`\`${part.name}\``, ...models.map(([, m]) => ece(m.drawn[part.name]))]),
  ];
  return (
    'Expected calibration error (15 bins), T = 1 → T:\n\n' +
    table(['set', ...models.map(([name]) => `\`${name}\``)], rows)
  );
}

/** How the verdicts turn out at the thresholds in use, one row per model, after how the held-out choice did. */
export function verdictTable(figures: DrawnBenchmarkFigures): string {
  const { thresholds, coverage, confidentError, maxConfidentError, onTestDrawings } =
    figures.verdictThresholds;
  const inUse = figures.verdictsInUse.thresholds;
  const rows = modelsOf(figures).map(([name, { verdicts: v }]) => [
    `\`${name}\``,
    pct(v.drawn.coverage),
    pct(v.drawn.confidentError),
    pct(v.drawn.errorsFlagged),
    pct(v.drawn.uncertainTopTwo),
    pct(v.mnistTest.coverage),
    pct(v.mnistTest.confidentError),
    pct(v.mnistTest.errorsFlagged),
  ]);
  return (
    `Chosen on the cnn's held-out drawings (the most answers confident with at most ${pct(maxConfidentError)} of ` +
    `them wrong), the thresholds would be minConfidence ${thresholds.minConfidence}, minMargin ` +
    `${thresholds.minMargin}: there ${pct(coverage)} confident, ${pct(confidentError)} of those wrong; on the ` +
    `benchmark's drawings ${pct(onTestDrawings.coverage)} confident, ${pct(onTestDrawings.confidentError)} of ` +
    'those wrong.\n\n' +
    `Verdicts at the thresholds in use, minConfidence ${inUse.minConfidence}, minMargin ${inUse.minMargin} ` +
    '(`DEFAULT_VERDICT_THRESHOLDS`):\n\n' +
    table(
      [
        'model',
        'drawn: confident',
        'wrong when confident',
        'errors flagged',
        'truth in "a or b?"',
        'MNIST test: confident',
        'wrong when confident',
        'errors flagged',
      ],
      rows,
    )
  );
}

/** The three, as the README's drawn-digit section shows them. */
export function drawnReport(figures: DrawnBenchmarkFigures): string {
  return [accuracyTable(figures), calibrationTable(figures), verdictTable(figures)].join('\n\n');
}
