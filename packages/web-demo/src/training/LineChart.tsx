import { useId } from 'react';
import { type ChartBox, chartGeometry } from './chart';

/** Props of {@link LineChart}. */
export interface LineChartProps {
  title: string;
  points: readonly { x: number; y: number }[];
  xMax: number;
  xPerEpoch: number;
  yDomain?: [number, number];
  format?: (v: number) => string;
  /** The live value as text, e.g. "0.312" or "91.2%". */
  valueText?: string;
}

const BOX: ChartBox = { width: 320, height: 150, left: 40, right: 8, top: 8, bottom: 8 };

/** A small live line chart (SVG, scales with its box): the curve, grid lines, epoch boundaries, the last value. */
export function LineChart({ title, points, xMax, xPerEpoch, yDomain, format, valueText }: LineChartProps) {
  const titleId = useId();
  const g = chartGeometry(points, {
    box: BOX,
    xMax,
    xPerEpoch,
    ...(yDomain && { yDomain }),
    ...(format && { format }),
  });
  return (
    <figure className="chart">
      <figcaption id={titleId}>
        {title}
        {valueText && <strong className="chart-value"> {valueText}</strong>}
      </figcaption>
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-labelledby={titleId}>
        <title>{`${title} over the training run${valueText ? `, now ${valueText}` : ''}`}</title>
        {g.yTicks.map((t) => (
          <g key={t.label} className="grid">
            <line x1={BOX.left} x2={BOX.width - BOX.right} y1={t.y} y2={t.y} />
            <text x={BOX.left - 4} y={t.y} dy="0.32em" textAnchor="end">
              {t.label}
            </text>
          </g>
        ))}
        {g.epochs.map((e) => (
          <line
            key={e.label}
            className="epoch-line"
            x1={e.x}
            x2={e.x}
            y1={BOX.top}
            y2={BOX.height - BOX.bottom}
          />
        ))}
        <path className="curve" d={g.path} />
        {g.last && <circle className="curve-end" cx={g.last.x} cy={g.last.y} r={3} />}
      </svg>
    </figure>
  );
}
