import {
  DEFAULT_VERDICT_THRESHOLDS,
  type DrawnBenchmarkFigures,
  type DrawnSetFigures,
  drawnBenchmark,
  type VerdictThresholds,
} from '@mnist/models/browser';
import { formatPercent } from './ProbabilityBars';

/** Props of {@link AboutModels}. */
export interface AboutModelsProps {
  /** The models to show, in column order (the page's: best first). */
  models: readonly string[];
  /** What `bench:drawn` measured (default: the figures @mnist/models ships). */
  figures?: DrawnBenchmarkFigures;
  /** When the page says "4 or 9?" instead of one digit (default: `classify`'s). */
  thresholds?: Readonly<VerdictThresholds>;
}

/** The cell's test id: `about-<model>-<set>`, the set being `mnist-test` or a part's name. */
export function aboutCellId(model: string, set: string): string {
  return `about-${model}-${set}`;
}

/**
 * How well each pretrained model reads digits: on MNIST's own test images and on the same digits drawn the ways
 * people draw (the drawn-digit benchmark's parts, described in plain words), as measured by `bench:drawn`; and
 * one sentence on when a model says "4 or 9?". Every number comes from @mnist/models' generated figures.
 */
export function AboutModels({
  models,
  figures = drawnBenchmark,
  thresholds = DEFAULT_VERDICT_THRESHOLDS,
}: AboutModelsProps) {
  const shown = models.flatMap((name) => {
    const measured = figures.models[name as keyof typeof figures.models];
    return measured ? [measured] : [];
  });
  type Measured = (typeof shown)[number];
  const rows: {
    id: string;
    label: string;
    note?: string;
    of: (m: Measured) => DrawnSetFigures | undefined;
  }[] = [
    {
      id: 'mnist-test',
      label: 'MNIST’s own test images',
      note: `${(shown[0]?.mnistTest.images ?? 0).toLocaleString('en-US')} scanned digits`,
      of: (m) => m.mnistTest,
    },
    ...figures.parts.map((part) => ({
      id: part.name,
      label: part.plain,
      of: (m: Measured) => m.drawn[part.name],
    })),
  ];
  const percent = (p: number) => Math.round(p * 100);
  const unsure = [
    `its top digit is under ${percent(thresholds.minConfidence)}%`,
    ...(thresholds.minMargin > 0
      ? [`fewer than ${percent(thresholds.minMargin)} points ahead of the next one`]
      : []),
  ].join(', or ');
  return (
    <section className="panel about-models" aria-labelledby="about-models-heading" data-testid="about-models">
      <h2 id="about-models-heading">About the models</h2>
      <p className="lede">
        How often each model reads a digit right: on MNIST’s own test images, and on the first{' '}
        {figures.digits.toLocaleString('en-US')} of those digits traced into pen strokes and drawn again, the
        ways people draw on a screen.
      </p>
      {/* Scrolls sideways in its own box rather than widening the page, should a phone be narrower still. */}
      <div className="table-scroll">
        <table className="report about-table">
          <caption>Digits read right</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Digits</span>
              </th>
              {shown.map((m) => (
                <th scope="col" key={m.name}>
                  {m.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <th scope="row">
                  {row.label}
                  {row.note && <span className="muted small about-note"> ({row.note})</span>}
                </th>
                {shown.map((m) => {
                  const set = row.of(m);
                  return (
                    <td key={m.name} data-testid={aboutCellId(m.name, row.id)}>
                      {set ? formatPercent(set.accuracy) : '–'}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="about-verdict" data-testid="about-verdict">
        When a model is unsure ({unsure}), it says “4 or 9?” instead of announcing one digit with false
        confidence.
      </p>
      <p className="muted small">
        Measured with <code>{figures.command}</code> on {figures.date.slice(0, 10)}.
      </p>
    </section>
  );
}
