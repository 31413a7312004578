import type { ReliabilityDiagram } from '@mnist/metrics';
import { useId } from 'react';
import { reliabilityBars } from '../explorer/calibration';
import { formatPercent } from '../format';

const SIZE = 100;

/** Props of {@link ReliabilityChart}. */
export interface ReliabilityChartProps {
  diagram: ReliabilityDiagram;
}

/**
 * How honest the model's confidence is: for each confidence bin, how often the model was right (bars) against how
 * sure it said it was (the diagonal). Bars under the diagonal: over-confident. With the expected calibration error.
 */
export function ReliabilityChart({ diagram }: ReliabilityChartProps) {
  const titleId = useId();
  const bars = reliabilityBars(diagram, SIZE);
  return (
    <figure className="reliability" data-testid="reliability">
      <figcaption id={titleId}>
        Is it as sure as it is right? Expected calibration error{' '}
        <strong data-testid="ece">{formatPercent(diagram.ece)}</strong>
        {diagram.confidence > diagram.accuracy ? ' (over-confident)' : ' (under-confident)'}: mean confidence{' '}
        {formatPercent(diagram.confidence)}, accuracy {formatPercent(diagram.accuracy)}.
      </figcaption>
      <svg viewBox={`-12 -4 ${SIZE + 16} ${SIZE + 18}`} role="img" aria-labelledby={titleId}>
        <title>
          Reliability diagram: accuracy per confidence bin against the diagonal of perfect calibration
        </title>
        <rect className="frame" x={0} y={0} width={SIZE} height={SIZE} />
        {bars.map((b) => (
          <g key={b.x}>
            <rect className="bar" x={b.x + 0.5} y={b.y} width={Math.max(0, b.width - 1)} height={SIZE - b.y}>
              <title>{b.label}</title>
            </rect>
            <line
              className="expected"
              x1={b.x + 0.5}
              x2={b.x + b.width - 0.5}
              y1={b.expectedY}
              y2={b.expectedY}
            />
          </g>
        ))}
        <line className="diagonal" x1={0} y1={SIZE} x2={SIZE} y2={0} />
        <text x={-2} y={SIZE} textAnchor="end">
          0
        </text>
        <text x={-2} y={4} textAnchor="end">
          1
        </text>
        <text x={SIZE / 2} y={SIZE + 11} textAnchor="middle">
          confidence → (bars: accuracy)
        </text>
      </svg>
    </figure>
  );
}
