import { describe, expect, it } from 'vitest';
import {
  canvasPixelsFor,
  clientToPoint,
  type DrawingState,
  drawingReducer,
  EMPTY_DRAWING,
  isEmptyDrawing,
  KEYBOARD_STEP,
  STROKE_WIDTH_FRACTION,
  strokeWidthFor,
} from './strokes';

const apply = (state: DrawingState, ...actions: Parameters<typeof drawingReducer>[1][]) =>
  actions.reduce(drawingReducer, state);

describe('stroke geometry', () => {
  it('scales the line width with the canvas backing store', () => {
    expect(strokeWidthFor(280)).toBeCloseTo(280 * STROKE_WIDTH_FRACTION);
    expect(strokeWidthFor(560)).toBeCloseTo(2 * strokeWidthFor(280));
    expect(strokeWidthFor(1)).toBe(1);
  });

  it('sizes the backing store by devicePixelRatio, capped, with a sane fallback', () => {
    expect(canvasPixelsFor(300, 1)).toBe(300);
    expect(canvasPixelsFor(300, 2)).toBe(600);
    expect(canvasPixelsFor(300, 2.625)).toBe(788);
    expect(canvasPixelsFor(800, 3)).toBe(1024);
    expect(canvasPixelsFor(300, Number.NaN)).toBe(300);
    expect(canvasPixelsFor(300, 0)).toBe(300);
  });

  it('maps client coordinates into the canvas as fractions, clamped to its edges', () => {
    const rect = { left: 100, top: 50, width: 200, height: 200 };
    expect(clientToPoint(200, 150, rect)).toEqual({ x: 0.5, y: 0.5 });
    expect(clientToPoint(100, 250, rect)).toEqual({ x: 0, y: 1 });
    expect(clientToPoint(0, 400, rect)).toEqual({ x: 0, y: 1 });
    expect(clientToPoint(150, 100, { ...rect, width: 0, height: 0 })).toEqual({ x: 0, y: 0 });
  });
});

describe('drawingReducer', () => {
  it('builds strokes from pen down, moves and pen up', () => {
    const s = apply(
      EMPTY_DRAWING,
      { type: 'penDown', point: { x: 0.1, y: 0.1 } },
      {
        type: 'penMove',
        points: [
          { x: 0.2, y: 0.2 },
          { x: 0.3, y: 0.3 },
        ],
      },
      { type: 'penUp' },
      { type: 'penMove', points: [{ x: 0.9, y: 0.9 }] }, // ignored: pen is up
    );
    expect(s.strokes).toEqual([
      [
        { x: 0.1, y: 0.1 },
        { x: 0.2, y: 0.2 },
        { x: 0.3, y: 0.3 },
      ],
    ]);
    expect(s.drawing).toBe(false);
    expect(isEmptyDrawing(s.strokes)).toBe(false);
  });

  it('undoes whole strokes, and undoes a clear', () => {
    const two = apply(
      EMPTY_DRAWING,
      { type: 'penDown', point: { x: 0.1, y: 0.1 } },
      { type: 'penUp' },
      { type: 'penDown', point: { x: 0.5, y: 0.5 } },
      { type: 'penMove', points: [{ x: 0.6, y: 0.6 }] },
      { type: 'penUp' },
    );
    expect(two.strokes).toHaveLength(2);
    const one = drawingReducer(two, { type: 'undo' });
    expect(one.strokes).toEqual([[{ x: 0.1, y: 0.1 }]]);
    const cleared = drawingReducer(two, { type: 'clear' });
    expect(cleared.strokes).toEqual([]);
    expect(isEmptyDrawing(cleared.strokes)).toBe(true);
    expect(drawingReducer(cleared, { type: 'undo' }).strokes).toEqual(two.strokes);
    const none = apply(two, { type: 'undo' }, { type: 'undo' }, { type: 'undo' });
    expect(none.strokes).toEqual([]);
    expect(none.history).toEqual([]);
  });

  it('clamps points to the canvas', () => {
    const s = apply(EMPTY_DRAWING, { type: 'penDown', point: { x: -1, y: 2 } });
    expect(s.strokes[0]).toEqual([{ x: 0, y: 1 }]);
  });

  it('draws with the keyboard pen: move, lower, move, lift', () => {
    const s = apply(
      EMPTY_DRAWING,
      { type: 'cursorMove', dx: -KEYBOARD_STEP, dy: 0 },
      { type: 'cursorToggle' },
      { type: 'cursorMove', dx: 0, dy: KEYBOARD_STEP },
      { type: 'cursorMove', dx: 0, dy: KEYBOARD_STEP },
      { type: 'cursorToggle' },
      { type: 'cursorMove', dx: KEYBOARD_STEP, dy: 0 },
    );
    const x = 0.5 - KEYBOARD_STEP;
    expect(s.strokes).toHaveLength(1);
    const stroke = s.strokes[0] ?? [];
    expect(stroke).toHaveLength(3);
    expect(stroke[0]?.x).toBeCloseTo(x);
    expect(stroke[2]?.y).toBeCloseTo(0.5 + 2 * KEYBOARD_STEP);
    expect(s.drawing).toBe(false);
    expect(s.cursor.x).toBeCloseTo(0.5);
  });

  it('bounds the undo history', () => {
    let s = EMPTY_DRAWING;
    for (let i = 0; i < 150; i++)
      s = apply(s, { type: 'penDown', point: { x: 0.5, y: 0.5 } }, { type: 'penUp' });
    expect(s.strokes).toHaveLength(150);
    expect(s.history.length).toBe(100);
  });
});
