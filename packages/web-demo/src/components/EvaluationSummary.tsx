import type { ExplorerSummary } from '../explorer/summary';
import { ClassReport } from './ClassReport';
import { ConfusionHeatmap, type MatrixCell } from './ConfusionHeatmap';

/** Props of {@link EvaluationSummary}. */
export interface EvaluationSummaryProps {
  summary: ExplorerSummary;
  total: number;
  classNames: readonly string[];
  /** With a selection, heatmap cells and confused pairs select images; without, they only inform. */
  selected?: MatrixCell | null;
  onSelect?: (cell: MatrixCell) => void;
}

/**
 * Where a model goes wrong, at a glance: the confusion-matrix heatmap, the per-class report and the most confused
 * pairs. The explorer and the training view show the same thing the same way.
 */
export function EvaluationSummary({
  summary,
  total,
  classNames,
  selected,
  onSelect,
}: EvaluationSummaryProps) {
  return (
    <>
      <div className="results-layout">
        <div className="heatmap-scroll">
          <ConfusionHeatmap
            counts={summary.counts}
            classNames={classNames}
            {...(onSelect && { selected: selected ?? null, onSelect })}
          />
        </div>
        <ClassReport
          rows={summary.rows}
          averages={summary.averages}
          accuracy={summary.accuracy}
          total={total}
        />
      </div>
      {summary.mostConfused.length > 0 && (
        <div className="confused">
          <span>Most confused:</span>
          {summary.mostConfused.map((pair) =>
            onSelect ? (
              <button
                type="button"
                key={`${pair.trueClass}-${pair.predictedClass}`}
                onClick={() => onSelect({ trueLabel: pair.trueClass, predicted: pair.predictedClass })}
              >
                {pair.trueName} read as {pair.predictedName} ({pair.count})
              </button>
            ) : (
              <span className="pair" key={`${pair.trueClass}-${pair.predictedClass}`}>
                {pair.trueName} read as {pair.predictedName} ({pair.count})
              </span>
            ),
          )}
        </div>
      )}
    </>
  );
}
