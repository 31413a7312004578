import { describe, expect, it } from 'vitest';
import { chartGeometry, MAX_CHART_POINTS } from './chart';

const box = { width: 300, height: 120, left: 40, right: 10, top: 10, bottom: 20 };

describe('training chart geometry', () => {
  it('maps points into the plot area with nice grid lines and epoch boundaries', () => {
    const g = chartGeometry(
      [
        { x: 0, y: 2 },
        { x: 500, y: 1 },
        { x: 1000, y: 0.5 },
      ],
      { box, xMax: 2000, xPerEpoch: 1000 },
    );
    // x: 0 → left edge, 1000 of 2000 → middle of the 250-unit plot; y: 0..2 over 90 units, upside down.
    expect(g.path).toBe('M40 10 L102.5 55 L165 77.5');
    expect(g.yTicks.map((t) => t.label)).toEqual(['0.0', '0.5', '1.0', '1.5', '2.0']);
    expect(g.yTicks[0]).toEqual({ y: 100, label: '0.0' });
    expect(g.epochs).toEqual([{ x: 165, label: 'epoch 2' }]);
    expect(g.last).toEqual({ x: 165, y: 77.5, value: 0.5 });
  });

  it('uses a fixed domain when given (accuracy: 0 to 1) and formats the labels as asked', () => {
    const g = chartGeometry([{ x: 10, y: 0.9 }], {
      box,
      xMax: 10,
      xPerEpoch: 10,
      yDomain: [0, 1],
      format: (v) => `${Math.round(v * 100)}%`,
    });
    expect(g.yTicks.map((t) => t.label)).toEqual(['0%', '20%', '40%', '60%', '80%', '100%']);
    expect(g.last?.y).toBe(19);
    expect(g.epochs).toEqual([]);
  });

  it('keeps long runs to a bounded number of points and skips non-finite values', () => {
    const points = Array.from({ length: 5000 }, (_, i) => ({ x: i, y: i === 7 ? Number.NaN : 1 / (i + 1) }));
    const g = chartGeometry(points, { box, xMax: 5000, xPerEpoch: 1000 });
    expect(g.path.split(/[ML]/).filter(Boolean)).toHaveLength(MAX_CHART_POINTS);
    expect(g.path).not.toContain('NaN');
    expect(chartGeometry([], { box, xMax: 0, xPerEpoch: 0 }).path).toBe('');
  });
});
