import {
  DEFAULT_VERDICT_THRESHOLDS,
  type DrawnBenchmarkFigures,
  type DrawnModelFigures,
  drawnBenchmark,
  type VerdictThresholds,
} from '@mnist/models/browser';
import { memo } from 'react';
import { formatCount, formatPercent } from '../format';

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

/** Row id of MNIST's own test set; the other rows are the benchmark's parts, by name. */
const MNIST_TEST = 'mnist-test';

/**
 * How well each pretrained model reads digits: on MNIST's own test images and on the same digits drawn the ways
 * people draw (the drawn-digit benchmark's parts, described in plain words), as measured by `bench:drawn`; and
 * one sentence on when a model says "4 or 9?". Every number comes from @mnist/models' generated figures.
 * Memoised: its props are constants, and the page re-renders on every prediction.
 */
export const AboutModels = memo(function AboutModels({
  models,
  figures = drawnBenchmark,
  thresholds = DEFAULT_VERDICT_THRESHOLDS,
}: AboutModelsProps) {
  const shown = models.flatMap((name) => {
    const measured: DrawnModelFigures | undefined = figures.models[name as keyof typeof figures.models];
    return measured ? [measured] : [];
  });
  const rows: { id: string; label: string; note?: string }[] = [
    {
      id: MNIST_TEST,
      label: 'MNIST’s own test images',
      note: `${formatCount(shown[0]?.mnistTest.images ?? 0)} scanned digits`,
    },
    ...figures.parts.map((part) => ({ id: part.name, label: part.plain })),
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
        {formatCount(figures.digits)} of those digits traced into pen strokes and drawn again, the ways people
        draw on a screen.
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
                  const set = row.id === MNIST_TEST ? m.mnistTest : m.drawn[row.id];
                  return (
                    <td key={m.name} data-testid={aboutCellId(m.name, row.id)}>
                      {set ? (
                        formatPercent(set.accuracy)
                      ) : (
                        <>
                          <span aria-hidden="true">–</span>
                          <span className="visually-hidden">not measured</span>
                        </>
                      )}
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
});
