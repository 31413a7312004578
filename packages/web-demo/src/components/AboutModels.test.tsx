// @vitest-environment happy-dom
import {
  DEFAULT_VERDICT_THRESHOLDS,
  type DrawnBenchmarkFigures,
  type DrawnSetFigures,
  drawnBenchmark,
} from '@mnist/models/browser';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PRETRAINED } from '../inference/names';
import { AboutModels, aboutCellId } from './AboutModels';
import { formatCount, formatPercent } from '../format';

afterEach(cleanup);

describe('AboutModels', () => {
  it("shows every pretrained model's accuracy on MNIST test and on each drawn part, as bench:drawn measured it", () => {
    render(<AboutModels models={PRETRAINED} />);
    const section = screen.getByTestId('about-models');
    expect(within(section).getByRole('heading', { level: 2 }).textContent).toBe('About the models');

    const table = within(section).getByRole('table');
    const columns = within(table)
      .getAllByRole('columnheader')
      .slice(1)
      .map((th) => th.textContent);
    expect(columns).toEqual([...PRETRAINED]);
    const rows = within(table)
      .getAllByRole('rowheader')
      .map((th) => th.textContent);
    expect(rows).toEqual([
      `MNIST’s own test images (${formatCount(drawnBenchmark.models.cnn?.mnistTest.images ?? 0)} scanned digits)`,
      ...drawnBenchmark.parts.map((part) => part.plain),
    ]);

    let cells = 0;
    for (const name of PRETRAINED) {
      const measured = drawnBenchmark.models[name];
      expect(measured, name).toBeDefined();
      const sets: [string, DrawnSetFigures | undefined][] = [
        ['mnist-test', measured?.mnistTest],
        ...drawnBenchmark.parts.map((part): [string, DrawnSetFigures | undefined] => [
          part.name,
          measured?.drawn[part.name],
        ]),
      ];
      for (const [set, figures] of sets) {
        expect(figures, `${name} on ${set}`).toBeDefined();
        expect(screen.getByTestId(aboutCellId(name, set)).textContent, `${name} on ${set}`).toBe(
          formatPercent(figures?.accuracy ?? Number.NaN),
        );
        cells++;
      }
    }
    expect(cells).toBe(PRETRAINED.length * (1 + drawnBenchmark.parts.length));
    // By position too: each body row's cells, left to right, are its set's figures in the header's model order.
    const bodyRows = within(table).getAllByRole('row').slice(1);
    const setIds = ['mnist-test', ...drawnBenchmark.parts.map((part) => part.name)];
    expect(bodyRows).toHaveLength(setIds.length);
    bodyRows.forEach((row, r) => {
      const set = setIds[r] as string;
      expect(
        within(row)
          .getAllByRole('cell')
          .map((td) => td.textContent),
        set,
      ).toEqual(
        PRETRAINED.map((name) => {
          const measured = drawnBenchmark.models[name];
          const figures = set === 'mnist-test' ? measured?.mnistTest : measured?.drawn[set];
          return formatPercent(figures?.accuracy ?? Number.NaN);
        }),
      );
    });
    expect(section.textContent).toContain(`the first ${formatCount(drawnBenchmark.digits)} of those digits`);
    expect(section.textContent).toContain(
      `Measured with ${drawnBenchmark.command} on ${drawnBenchmark.date.slice(0, 10)}.`,
    );
  });

  it('says when a model answers "4 or 9?", with the thresholds classify uses', () => {
    render(<AboutModels models={PRETRAINED} />);
    const { minConfidence, minMargin } = DEFAULT_VERDICT_THRESHOLDS;
    expect(screen.getByTestId('about-verdict').textContent).toBe(
      `When a model is unsure (its top digit is under ${Math.round(minConfidence * 100)}%, or fewer than ` +
        `${Math.round(minMargin * 100)} points ahead of the next one), it says “4 or 9?” instead of announcing ` +
        'one digit with false confidence.',
    );
  });

  it('shows only the models asked for, a dash where a part was not measured, no margin clause at margin 0', () => {
    const cnn = drawnBenchmark.models.cnn;
    if (!cnn) throw new Error('no cnn figures');
    const [first, second] = drawnBenchmark.parts;
    if (!first || !second) throw new Error('fewer than two parts');
    const figures: DrawnBenchmarkFigures = {
      ...drawnBenchmark,
      parts: [first, second],
      models: { cnn: { ...cnn, drawn: { [first.name]: { ...cnn.mnistTest, accuracy: 0.5 } } } },
    };
    render(
      <AboutModels
        models={['cnn', 'mlp']}
        figures={figures}
        thresholds={{ minConfidence: 0.6, minMargin: 0 }}
      />,
    );
    expect(
      within(screen.getByRole('table'))
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Digits', 'cnn']);
    expect(screen.getByTestId(aboutCellId('cnn', first.name)).textContent).toBe('50.0%');
    // A dash to the eye, words to a screen reader.
    const missing = screen.getByTestId(aboutCellId('cnn', second.name));
    expect(missing.querySelector('[aria-hidden="true"]')?.textContent).toBe('–');
    expect(missing.querySelector('.visually-hidden')?.textContent).toBe('not measured');
    expect(screen.getByTestId('about-verdict').textContent).toMatch(
      /^When a model is unsure \(its top digit is under 60%\), it says/,
    );
  });
});
