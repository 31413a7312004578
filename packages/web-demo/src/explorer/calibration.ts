// The reliability diagram as SVG geometry (pure): bars of accuracy per confidence bin against the diagonal of a
// perfectly calibrated model. The numbers are @mnist/metrics' reliabilityDiagram.
import type { ReliabilityDiagram } from '@mnist/metrics';
import { formatPercent } from '../format';

/** One bar: a confidence bin's accuracy, and its mean confidence for the gap marker. */
export interface ReliabilityBar {
  x: number;
  width: number;
  /** Top of the accuracy bar. */
  y: number;
  /** Where the bar would end if the model were calibrated (its mean confidence). */
  expectedY: number;
  count: number;
  label: string;
}

/** Bars in a square plot of `size` units (x: confidence 0..1, y: accuracy 0..1, y upwards). */
export function reliabilityBars(diagram: ReliabilityDiagram, size: number): ReliabilityBar[] {
  const y = (v: number) => size - v * size;
  return diagram.bins
    .filter((b) => b.count > 0 && b.accuracy !== null && b.confidence !== null)
    .map((b) => ({
      x: b.lower * size,
      width: (b.upper - b.lower) * size,
      y: y(b.accuracy as number),
      expectedY: y(b.confidence as number),
      count: b.count,
      label:
        `Confidence ${Math.round(b.lower * 100)}–${Math.round(b.upper * 100)}%: ${b.count} image${b.count === 1 ? '' : 's'}, ` +
        `${formatPercent(b.accuracy as number)} right`,
    }));
}
