import { type KeyboardEvent, useRef, useState } from 'react';

/** A cell of the confusion matrix: true label (row) and predicted label (column). */
export interface MatrixCell {
  trueLabel: number;
  predicted: number;
}

/** Props of {@link ConfusionHeatmap}. */
export interface ConfusionHeatmapProps {
  /** Counts, row-major: `counts[t * k + p]` images of class t predicted as p. */
  counts: ArrayLike<number>;
  classNames: readonly string[];
  /** Maps an intensity in 0..1 to the cell's background and text colours (CSS). */
  colorsFor: (intensity: number) => { background: string; color: string };
  selected?: MatrixCell | null;
  /** Makes the cells buttons that select themselves; without it the heatmap is a plain table. */
  onSelect?: (cell: MatrixCell) => void;
}

/**
 * Colour intensity of a cell: its share of its row (the recall view), on a square-root scale so a handful of
 * confusions is still visible next to a diagonal of ~1000.
 */
export function cellIntensity(count: number, rowTotal: number): number {
  return rowTotal > 0 ? Math.sqrt(count / rowTotal) : 0;
}

/**
 * The confusion matrix as a table of buttons coloured by a perceptual ramp. One tab stop for the whole grid; arrow
 * keys move between cells (the roving-tabindex pattern) and Enter/Space or a click selects a cell.
 */
export function ConfusionHeatmap({
  counts,
  classNames,
  colorsFor,
  selected,
  onSelect,
}: ConfusionHeatmapProps) {
  const k = classNames.length;
  const [focus, setFocus] = useState<MatrixCell>({ trueLabel: 0, predicted: 0 });
  const buttons = useRef(new Map<number, HTMLButtonElement>());
  const rowTotals = Array.from({ length: k }, (_, t) => {
    let sum = 0;
    for (let p = 0; p < k; p++) sum += counts[t * k + p] ?? 0;
    return sum;
  });

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const next = {
      trueLabel: Math.min(k - 1, Math.max(0, focus.trueLabel + move[0])),
      predicted: Math.min(k - 1, Math.max(0, focus.predicted + move[1])),
    };
    setFocus(next);
    buttons.current.get(next.trueLabel * k + next.predicted)?.focus();
  };

  return (
    <table className="heatmap" data-testid="heatmap" onKeyDown={onSelect ? onKeyDown : undefined}>
      <caption>
        Confusion matrix: rows are the true digit, columns the prediction.
        {onSelect ? ' Select a cell to see its images.' : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col" className="corner">
            <span className="visually-hidden">true \ predicted</span>
            <span aria-hidden="true">t\p</span>
          </th>
          {classNames.map((name) => (
            <th scope="col" key={name}>
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {classNames.map((rowName, t) => (
          <tr key={rowName}>
            <th scope="row">{rowName}</th>
            {classNames.map((colName, p) => {
              const count = counts[t * k + p] ?? 0;
              const colors = colorsFor(cellIntensity(count, rowTotals[t] ?? 0));
              const isSelected = selected?.trueLabel === t && selected.predicted === p;
              const isFocus = focus.trueLabel === t && focus.predicted === p;
              const label = `True ${rowName}, predicted ${colName}: ${count} image${count === 1 ? '' : 's'}`;
              if (!onSelect) {
                return (
                  <td key={colName}>
                    <span
                      className={`cell${t === p ? ' diagonal' : ''}`}
                      style={colors}
                      title={label}
                      data-testid={`cell-${t}-${p}`}
                      data-count={count}
                    >
                      {count}
                    </span>
                  </td>
                );
              }
              return (
                <td key={colName}>
                  <button
                    type="button"
                    ref={(el) => {
                      if (el) buttons.current.set(t * k + p, el);
                      else buttons.current.delete(t * k + p);
                    }}
                    className={`cell${t === p ? ' diagonal' : ''}`}
                    style={colors}
                    tabIndex={isFocus ? 0 : -1}
                    aria-pressed={isSelected}
                    aria-label={label}
                    data-testid={`cell-${t}-${p}`}
                    data-count={count}
                    onFocus={() => setFocus({ trueLabel: t, predicted: p })}
                    onClick={() => onSelect({ trueLabel: t, predicted: p })}
                  >
                    {count}
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
