import { heatmapColors } from '@mnist/metrics';
import { type KeyboardEvent, useMemo, useRef, useState } from 'react';

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
  selected?: MatrixCell | null;
  /** Makes the cells buttons that select themselves; without it the heatmap is a plain table. */
  onSelect?: (cell: MatrixCell) => void;
}

/**
 * The confusion matrix as a table coloured by @mnist/metrics' heatmap rule, the one the CLI and the HTML report
 * use: zeros empty, mistakes on their own scale (so a handful stands out next to a diagonal of a thousand), the
 * diagonal on another, readable text on each. With `onSelect` the cells are buttons: one tab stop for the whole
 * grid, arrow keys move between cells (the roving-tabindex pattern), Enter/Space or a click selects a cell.
 */
export function ConfusionHeatmap({ counts, classNames, selected, onSelect }: ConfusionHeatmapProps) {
  const k = classNames.length;
  const [focus, setFocus] = useState<MatrixCell>({ trueLabel: 0, predicted: 0 });
  const buttons = useRef(new Map<number, HTMLButtonElement>());
  const colors = useMemo(() => heatmapColors(counts).cells, [counts]);

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
              const style = colors[t]?.[p];
              const kind = style?.kind ?? 'empty';
              const fill =
                style?.background && style.color
                  ? { background: style.background, color: style.color }
                  : undefined;
              const className = `cell ${kind}`;
              const isSelected = selected?.trueLabel === t && selected.predicted === p;
              const isFocus = focus.trueLabel === t && focus.predicted === p;
              const label = `True ${rowName}, predicted ${colName}: ${count} image${count === 1 ? '' : 's'}`;
              if (!onSelect) {
                return (
                  <td key={colName}>
                    <span
                      className={className}
                      style={fill}
                      title={label}
                      data-testid={`cell-${t}-${p}`}
                      data-count={count}
                    >
                      {count > 0 ? count : <span className="visually-hidden">0</span>}
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
                    className={className}
                    style={fill}
                    tabIndex={isFocus ? 0 : -1}
                    aria-pressed={isSelected}
                    aria-label={label}
                    data-testid={`cell-${t}-${p}`}
                    data-count={count}
                    onFocus={() => setFocus({ trueLabel: t, predicted: p })}
                    onClick={() => onSelect({ trueLabel: t, predicted: p })}
                  >
                    {count > 0 ? count : <span className="visually-hidden">0</span>}
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
