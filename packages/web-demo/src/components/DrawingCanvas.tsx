import {
  type Dispatch,
  type KeyboardEvent,
  type PointerEvent,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { renderStrokes } from '../drawing/render';
import {
  canvasPixelsFor,
  clientToPoint,
  type DrawingAction,
  type DrawingState,
  KEYBOARD_STEP,
  type StrokePoint,
} from '../drawing/strokes';

/** Props of {@link DrawingCanvas}: the drawing state lives with the caller (`useReducer(drawingReducer, ...)`). */
export interface DrawingCanvasProps {
  state: DrawingState;
  dispatch: Dispatch<DrawingAction>;
}

/** Maps a key to a drawing action, or undefined if the canvas does not handle that key. */
export function keyToAction(key: string, shiftKey: boolean, ctrlOrMeta: boolean): DrawingAction | undefined {
  const step = shiftKey ? KEYBOARD_STEP * 3 : KEYBOARD_STEP;
  switch (key) {
    case 'ArrowLeft':
      return { type: 'cursorMove', dx: -step, dy: 0 };
    case 'ArrowRight':
      return { type: 'cursorMove', dx: step, dy: 0 };
    case 'ArrowUp':
      return { type: 'cursorMove', dx: 0, dy: -step };
    case 'ArrowDown':
      return { type: 'cursorMove', dx: 0, dy: step };
    case ' ':
    case 'Enter':
      return { type: 'cursorToggle' };
    case 'Backspace':
      return { type: 'undo' };
    case 'z':
    case 'Z':
      return ctrlOrMeta ? { type: 'undo' } : undefined;
    case 'Escape':
    case 'Delete':
      return { type: 'clear' };
    default:
      return undefined;
  }
}

/**
 * The drawing surface: a square canvas for mouse, touch and pen (pointer events, with coalesced events for smooth
 * fast strokes), sized to its box and the devicePixelRatio, plus Undo and Clear. Keyboard users move a pen with
 * the arrow keys and lower/lift it with Space.
 */
export function DrawingCanvas({ state, dispatch }: DrawingCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const activePointer = useRef<number | null>(null);
  const rectRef = useRef<DOMRect | null>(null);
  const [pixels, setPixels] = useState(0);
  // The keyboard pen is shown once a key is used, not when a mouse or finger focuses the canvas.
  const [keyboardPen, setKeyboardPen] = useState(false);
  const hintId = useId();

  // Keep the backing store matched to the displayed size and devicePixelRatio (zoom and rotation resize it too).
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const measure = () => {
      const side = canvas.getBoundingClientRect().width || canvas.clientWidth || 280;
      setPixels(canvasPixelsFor(side, window.devicePixelRatio));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(canvas);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || pixels === 0) return;
    if (canvas.width !== pixels) canvas.width = pixels;
    if (canvas.height !== pixels) canvas.height = pixels;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const color = getComputedStyle(canvas).color || '#000';
    renderStrokes(ctx, state.strokes, { size: pixels, color });
  }, [state.strokes, pixels]);

  const toPoint = (clientX: number, clientY: number): StrokePoint => {
    const rect = rectRef.current ?? canvasRef.current?.getBoundingClientRect();
    return rect ? clientToPoint(clientX, clientY, rect) : { x: 0, y: 0 };
  };

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    if (activePointer.current !== null) return; // a second finger does not start a second stroke
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    // Focus so Backspace/Escape work next, without the keyboard focus ring over the drawing.
    e.currentTarget.focus({ preventScroll: true, focusVisible: false } as FocusOptions);
    setKeyboardPen(false);
    e.currentTarget.setPointerCapture?.(e.pointerId);
    activePointer.current = e.pointerId;
    rectRef.current = e.currentTarget.getBoundingClientRect();
    dispatch({ type: 'penDown', point: toPoint(e.clientX, e.clientY) });
  };

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    if (activePointer.current !== e.pointerId) return;
    // Coalesced events carry every position the pointer passed since the last frame: fast strokes stay smooth.
    const native = e.nativeEvent;
    const events = typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
    const points = (events.length > 0 ? events : [native]).map((ev) => toPoint(ev.clientX, ev.clientY));
    dispatch({ type: 'penMove', points });
  };

  const endStroke = (e: PointerEvent<HTMLCanvasElement>) => {
    if (activePointer.current !== e.pointerId) return;
    activePointer.current = null;
    rectRef.current = null;
    dispatch({ type: 'penUp' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const action = keyToAction(e.key, e.shiftKey, e.ctrlKey || e.metaKey);
    if (!action) return;
    e.preventDefault();
    setKeyboardPen(true);
    dispatch(action);
  };

  const canUndo = state.history.length > 0;
  return (
    <div className="drawing">
      <div className="canvas-frame">
        <canvas
          ref={canvasRef}
          className="drawing-canvas"
          data-testid="canvas"
          tabIndex={0}
          aria-label="Drawing area: draw one digit"
          aria-describedby={hintId}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endStroke}
          onPointerCancel={endStroke}
          onLostPointerCapture={endStroke}
          onKeyDown={onKeyDown}
          onBlur={() => {
            setKeyboardPen(false);
            if (state.drawing && activePointer.current === null) dispatch({ type: 'penUp' });
          }}
        />
        {keyboardPen && (
          <span
            className={`keyboard-pen${state.drawing ? ' down' : ''}`}
            aria-hidden="true"
            style={{ left: `${state.cursor.x * 100}%`, top: `${state.cursor.y * 100}%` }}
          />
        )}
      </div>
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          data-testid="clear"
          onClick={() => dispatch({ type: 'clear' })}
        >
          Clear
        </button>
        <button
          type="button"
          data-testid="undo"
          onClick={() => dispatch({ type: 'undo' })}
          disabled={!canUndo}
        >
          Undo
        </button>
        {/* Keyboard help where keyboard users look for it; hidden on touch-only devices (CSS). */}
        <details className="keyboard-help">
          <summary>Keyboard</summary>
          <p id={hintId}>
            Arrow keys move the pen (Shift: faster), Space puts it down or lifts it, Backspace or Ctrl+Z
            undoes, Escape clears.
          </p>
        </details>
      </div>
    </div>
  );
}
