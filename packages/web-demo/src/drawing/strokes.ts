/**
 * The drawing as data: strokes of points in normalised coordinates (0..1 across the square canvas), so the same
 * drawing renders identically at any canvas size or devicePixelRatio, and undo/clear are plain state changes.
 */

import type { Stroke, StrokePoint } from '@mnist/data';

// The stroke model (points, strokes, pen width) lives in @mnist/data, shared with the drawn-digit benchmark.
export {
  isEmptyDrawing,
  STROKE_WIDTH_FRACTION,
  type Stroke,
  type StrokePoint,
  strokeWidthFor,
} from '@mnist/data';

/** How far one arrow-key press moves the keyboard pen, as a fraction of the canvas side (Shift: 3x). */
export const KEYBOARD_STEP = 0.025;

/**
 * The backing-store size of a square canvas shown `cssSide` CSS pixels wide on a screen with `devicePixelRatio`,
 * so lines stay sharp on high-density screens. Capped to keep memory and readback cheap on large tablets.
 */
export function canvasPixelsFor(cssSide: number, devicePixelRatio: number, max = 1024): number {
  const ratio = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1;
  return Math.max(1, Math.min(max, Math.round(cssSide * ratio)));
}

/** Converts a pointer position in client (CSS) pixels to a normalised point, clamped to the canvas. */
export function clientToPoint(
  clientX: number,
  clientY: number,
  rect: { left: number; top: number; width: number; height: number },
): StrokePoint {
  const clamp = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);
  return {
    x: clamp(rect.width > 0 ? (clientX - rect.left) / rect.width : 0),
    y: clamp(rect.height > 0 ? (clientY - rect.top) / rect.height : 0),
  };
}

/** Everything the drawing surface needs to know: committed strokes, undo history and the keyboard pen. */
export interface DrawingState {
  /** Strokes on the canvas, oldest first; the last one is still growing while `drawing` is true. */
  readonly strokes: readonly Stroke[];
  /** Earlier `strokes` values, most recent last: undo pops one (so a clear can be undone too). */
  readonly history: readonly (readonly Stroke[])[];
  /** True between pen down and pen up. */
  readonly drawing: boolean;
  /** Where the keyboard pen is (it starts in the middle). */
  readonly cursor: StrokePoint;
}

/** Changes to the drawing, from pointer, keyboard or buttons. */
export type DrawingAction =
  | { type: 'penDown'; point: StrokePoint }
  | { type: 'penMove'; points: readonly StrokePoint[] }
  | { type: 'penUp' }
  | { type: 'undo' }
  | { type: 'clear' }
  | { type: 'cursorMove'; dx: number; dy: number }
  | { type: 'cursorToggle' };

/** The state of an empty canvas. */
export const EMPTY_DRAWING: DrawingState = {
  strokes: [],
  history: [],
  drawing: false,
  cursor: { x: 0.5, y: 0.5 },
};

/** Undo history is bounded so a long session does not keep every intermediate drawing. */
const MAX_HISTORY = 100;

function pushHistory(state: DrawingState): readonly (readonly Stroke[])[] {
  const history = [...state.history, state.strokes];
  return history.length > MAX_HISTORY ? history.slice(history.length - MAX_HISTORY) : history;
}

function clampPoint(p: StrokePoint): StrokePoint {
  return { x: Math.min(1, Math.max(0, p.x)), y: Math.min(1, Math.max(0, p.y)) };
}

/** Pure reducer for {@link DrawingState} (used with React's `useReducer`). */
export function drawingReducer(state: DrawingState, action: DrawingAction): DrawingState {
  switch (action.type) {
    case 'penDown': {
      const point = clampPoint(action.point);
      return { ...state, history: pushHistory(state), strokes: [...state.strokes, [point]], drawing: true };
    }
    case 'penMove': {
      if (!state.drawing || action.points.length === 0) return state;
      const last = state.strokes[state.strokes.length - 1] ?? [];
      const grown = [...last, ...action.points.map(clampPoint)];
      return { ...state, strokes: [...state.strokes.slice(0, -1), grown] };
    }
    case 'penUp':
      return state.drawing ? { ...state, drawing: false } : state;
    case 'undo': {
      if (state.history.length === 0) return state;
      const strokes = state.history[state.history.length - 1] ?? [];
      return { ...state, strokes, history: state.history.slice(0, -1), drawing: false };
    }
    case 'clear':
      if (state.strokes.length === 0) return state;
      return { ...state, strokes: [], history: pushHistory(state), drawing: false };
    case 'cursorMove': {
      const cursor = clampPoint({ x: state.cursor.x + action.dx, y: state.cursor.y + action.dy });
      const moved = { ...state, cursor };
      return state.drawing ? drawingReducer(moved, { type: 'penMove', points: [cursor] }) : moved;
    }
    case 'cursorToggle':
      return state.drawing
        ? drawingReducer(state, { type: 'penUp' })
        : drawingReducer(state, { type: 'penDown', point: state.cursor });
  }
}
