// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useReducer } from 'react';
import { heatmapColors } from '@mnist/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DrawingState, drawingReducer, EMPTY_DRAWING } from '../drawing/strokes';
import { ClassReport } from './ClassReport';
import { ConfusionHeatmap } from './ConfusionHeatmap';
import { digitToRgba } from './DigitImage';
import { DrawingCanvas, keyToAction } from './DrawingCanvas';
import { formatMs, ModelBar } from './ModelBar';
import { PredictionPanel } from './PredictionPanel';
import { formatCount, formatPercent } from '../format';
import { argMax, ProbabilityBars } from './ProbabilityBars';
import { ProgressBar } from './ProgressBar';
import { pageRange, TestImageGrid } from './TestImageGrid';

afterEach(cleanup);

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

describe('PredictionPanel', () => {
  it('shows a prompt and no prediction element for an empty canvas', () => {
    render(<PredictionPanel prediction={null} />);
    expect(screen.queryByTestId('prediction')).toBeNull();
    expect(screen.getByTestId('prompt').textContent).toMatch(/Draw a digit/);
  });

  it('shows the digit and its confidence', () => {
    render(<PredictionPanel prediction={{ label: '7', confidence: 0.9812 }} />);
    expect(screen.getByTestId('prediction').textContent).toBe('7');
    expect(screen.getByText('98.1% sure')).toBeTruthy();
  });

  it('says "4 or 9?" when the model hesitates, with the top digit as the prediction and both probabilities', () => {
    render(
      <PredictionPanel
        prediction={{ label: '4', confidence: 0.52 }}
        doubt={{ kind: 'between', alternative: '9', alternativeConfidence: 0.41 }}
      />,
    );
    expect(screen.getByTestId('prediction').textContent).toBe('4');
    expect(screen.getByTestId('prediction').parentElement?.textContent).toBe('4 or 9?');
    expect(screen.getByTestId('confidence').textContent).toBe('Not sure: 4 52.0%, 9 41.0%');
  });

  it('says it cannot read a flat output instead of naming two digits', () => {
    render(<PredictionPanel prediction={{ label: '0', confidence: 0.112 }} doubt={{ kind: 'unreadable' }} />);
    expect(screen.getByTestId('prediction').textContent).toBe('?');
    expect(screen.queryByTestId('uncertain')).toBeNull();
    expect(screen.getByTestId('confidence').textContent).toBe(
      "I can't read this: no digit stands out (0 is the likeliest, at 11.2%)",
    );
  });

  it('shows why there is no prediction yet', () => {
    render(<PredictionPanel prediction={null} status="Loading the model…" />);
    expect(screen.getByTestId('prompt').textContent).toBe('Loading the model…');
  });
});

describe('ProbabilityBars', () => {
  it('draws one labelled bar per class and highlights the top one', () => {
    const p = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.6, 0.08, 0.04];
    const { container } = render(<ProbabilityBars probabilities={p} classNames={DIGITS} />);
    const items = container.querySelectorAll('li');
    expect(items).toHaveLength(10);
    expect(items[7]?.className).toContain('top');
    expect(items[7]?.getAttribute('aria-label')).toBe('7: 60.0%');
    expect((items[7]?.querySelector('.bar-fill') as HTMLElement | null)?.style.width).toBe('60%');
    expect(container.querySelectorAll('li.top')).toHaveLength(1);
  });

  it('shows empty bars without numbers when there is nothing to classify', () => {
    const { container } = render(<ProbabilityBars probabilities={null} classNames={DIGITS} />);
    expect(container.querySelectorAll('li.top')).toHaveLength(0);
    expect(container.querySelector('li')?.getAttribute('aria-label')).toBe('0: nothing drawn');
  });

  it('formats and ranks', () => {
    expect(formatPercent(0.98765)).toBe('98.8%');
    expect(formatPercent(1.2)).toBe('100.0%');
    expect(formatCount(10000)).toBe('10,000');
    expect(formatCount(658)).toBe('658');
    expect(argMax([0.1, 0.5, 0.5, 0.2])).toBe(1);
    expect(argMax([])).toBe(-1);
  });
});

/** The canvas with its state held by the test, as the page holds it. */
function DrawingHarness({ onState }: { onState: (s: DrawingState) => void }) {
  const [state, dispatch] = useReducer(drawingReducer, EMPTY_DRAWING);
  onState(state);
  return <DrawingCanvas state={state} dispatch={dispatch} />;
}

describe('DrawingCanvas', () => {
  function setup() {
    let state = EMPTY_DRAWING;
    render(<DrawingHarness onState={(s) => (state = s)} />);
    const canvas = screen.getByTestId('canvas') as HTMLCanvasElement;
    // happy-dom does no layout: give the canvas the box a browser would.
    canvas.getBoundingClientRect = () => ({
      left: 10,
      top: 20,
      width: 200,
      height: 200,
      right: 210,
      bottom: 220,
      x: 10,
      y: 20,
      toJSON: () => ({}),
    });
    return { canvas, state: () => state };
  }

  it('turns pointer down, moves and up into one stroke in canvas fractions', () => {
    const { canvas, state } = setup();
    fireEvent.pointerDown(canvas, {
      pointerId: 1,
      pointerType: 'mouse',
      button: 0,
      clientX: 60,
      clientY: 70,
    });
    fireEvent.pointerMove(canvas, { pointerId: 1, pointerType: 'mouse', clientX: 110, clientY: 120 });
    fireEvent.pointerMove(canvas, { pointerId: 2, pointerType: 'touch', clientX: 200, clientY: 200 }); // other pointer
    fireEvent.pointerUp(canvas, { pointerId: 1, pointerType: 'mouse', clientX: 110, clientY: 120 });
    fireEvent.pointerMove(canvas, { pointerId: 1, pointerType: 'mouse', clientX: 150, clientY: 150 }); // pen is up
    expect(state().strokes).toEqual([
      [
        { x: 0.25, y: 0.25 },
        { x: 0.5, y: 0.5 },
      ],
    ]);
  });

  it('ignores the right mouse button, draws with touch and pen', () => {
    const { canvas, state } = setup();
    fireEvent.pointerDown(canvas, {
      pointerId: 1,
      pointerType: 'mouse',
      button: 2,
      clientX: 60,
      clientY: 70,
    });
    expect(state().strokes).toHaveLength(0);
    fireEvent.pointerDown(canvas, {
      pointerId: 5,
      pointerType: 'touch',
      button: 0,
      clientX: 10,
      clientY: 20,
    });
    fireEvent.pointerCancel(canvas, { pointerId: 5, pointerType: 'touch' });
    fireEvent.pointerDown(canvas, {
      pointerId: 6,
      pointerType: 'pen',
      button: 0,
      clientX: 210,
      clientY: 220,
    });
    fireEvent.pointerUp(canvas, { pointerId: 6, pointerType: 'pen' });
    expect(state().strokes).toEqual([[{ x: 0, y: 0 }], [{ x: 1, y: 1 }]]);
  });

  it('undoes and clears with the buttons', () => {
    const { canvas, state } = setup();
    const undo = screen.getByTestId('undo') as HTMLButtonElement;
    expect(undo.disabled).toBe(true);
    for (const x of [30, 90]) {
      fireEvent.pointerDown(canvas, {
        pointerId: 1,
        pointerType: 'mouse',
        button: 0,
        clientX: x,
        clientY: 100,
      });
      fireEvent.pointerUp(canvas, { pointerId: 1, pointerType: 'mouse' });
    }
    expect(state().strokes).toHaveLength(2);
    fireEvent.click(undo);
    expect(state().strokes).toHaveLength(1);
    fireEvent.click(screen.getByTestId('clear'));
    expect(state().strokes).toHaveLength(0);
    fireEvent.click(undo);
    expect(state().strokes).toHaveLength(1);
  });

  it('draws with the keyboard: arrows move the pen, Space lowers and lifts it, Escape clears', () => {
    const { canvas, state } = setup();
    act(() => canvas.focus());
    fireEvent.keyDown(canvas, { key: ' ' });
    fireEvent.keyDown(canvas, { key: 'ArrowDown' });
    fireEvent.keyDown(canvas, { key: 'ArrowDown', shiftKey: true });
    fireEvent.keyDown(canvas, { key: ' ' });
    expect(state().strokes).toHaveLength(1);
    expect(state().strokes[0]).toHaveLength(3);
    expect(state().drawing).toBe(false);
    fireEvent.keyDown(canvas, { key: 'Escape' });
    expect(state().strokes).toHaveLength(0);
    fireEvent.keyDown(canvas, { key: 'z', ctrlKey: true });
    expect(state().strokes).toHaveLength(1);
  });

  it('is labelled for assistive technology and explains the keyboard', () => {
    const { canvas } = setup();
    expect(canvas.getAttribute('tabindex')).toBe('0');
    const hint = document.getElementById(canvas.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toMatch(/Arrow keys move the pen/);
    // Where keyboard users look for it: in a "Keyboard" disclosure next to Clear and Undo.
    expect(hint?.closest('details')?.querySelector('summary')?.textContent).toBe('Keyboard');
  });

  it('maps keys to actions', () => {
    expect(keyToAction('ArrowLeft', false, false)).toEqual({ type: 'cursorMove', dx: -0.025, dy: 0 });
    expect(keyToAction('z', false, false)).toBeUndefined();
    expect(keyToAction('Backspace', false, false)).toEqual({ type: 'undo' });
    expect(keyToAction('a', false, false)).toBeUndefined();
  });
});

describe('model bar', () => {
  const props = {
    models: [
      { name: 'cnn', description: 'Looks at patches.', badge: '99.3%' },
      { name: 'mlp', description: 'Two layers.' },
      { name: 'yours', description: 'Train one first.', disabled: true },
    ],
    model: 'cnn',
    activeModel: 'cnn',
    layers: 'Conv2D(32, 5×5) → Dense(10, softmax)',
    backends: [
      { name: 'webgl', description: 'GPU.' },
      { name: 'wasm', description: 'WebAssembly.' },
      { name: 'cpu', description: 'JavaScript.' },
    ],
    backend: 'webgl',
    activeBackend: undefined,
    timing: undefined,
  };

  it('selects a model with native radios drawn as segments, one plain sentence for the chosen one', () => {
    const onModel = vi.fn();
    render(<ModelBar {...props} onModel={onModel} onBackend={vi.fn()} />);
    const models = within(screen.getByTestId('model-picker'));
    const radios = models.getAllByRole('radio') as HTMLInputElement[];
    expect(radios.map((r) => r.checked)).toEqual([true, false, false]);
    expect(radios[2]?.disabled).toBe(true);
    expect(models.getByText('99.3%')).toBeTruthy();
    expect(models.getByText(/Looks at patches\./)).toBeTruthy();
    expect(models.queryByText(/Two layers/)).toBeNull();
    // The layers only on demand, inside a disclosure.
    expect(screen.getByTestId('layers').closest('details')?.open).toBe(false);
    fireEvent.click(radios[1] as HTMLInputElement);
    expect(onModel).toHaveBeenCalledWith('mlp');
    expect(screen.getByText('Starting…')).toBeTruthy();
  });

  it('shows the active backend when it differs, and the inference time', () => {
    const onBackend = vi.fn();
    render(
      <ModelBar
        {...props}
        activeBackend="wasm"
        timing={{ lastMs: 2.5, medianMs: 0.42, count: 7 }}
        onModel={vi.fn()}
        onBackend={onBackend}
      />,
    );
    expect(screen.getByTestId('active-backend').textContent).toBe('wasm');
    expect(screen.getByText(/webgl is not available in this browser/)).toBeTruthy();
    expect(screen.getByTestId('inference-time').textContent).toBe('0.42 ms');
    fireEvent.click(screen.getByLabelText(/^cpu/));
    expect(onBackend).toHaveBeenCalledWith('cpu');
  });

  it('formats times', () => {
    expect(formatMs(0.123)).toBe('0.12 ms');
    expect(formatMs(3.14)).toBe('3.1 ms');
    expect(formatMs(123.4)).toBe('123 ms');
    expect(formatMs(Number.NaN)).toBe('–');
  });
});

describe('explorer components', () => {
  const counts = Array.from({ length: 100 }, (_, i) =>
    Math.floor(i / 10) === i % 10 ? 90 : i === 49 ? 7 : 0,
  );

  it('ConfusionHeatmap: one button per cell with its count, selectable by click and keyboard', () => {
    const onSelect = vi.fn();
    render(
      <ConfusionHeatmap
        counts={counts}
        classNames={DIGITS}
        selected={{ trueLabel: 4, predicted: 9 }}
        onSelect={onSelect}
      />,
    );
    const heatmap = screen.getByTestId('heatmap');
    expect(within(heatmap).getAllByRole('button')).toHaveLength(100);
    const cell = screen.getByTestId('cell-4-9');
    expect(cell.textContent).toBe('7');
    expect(cell.getAttribute('aria-label')).toBe('True 4, predicted 9: 7 images');
    expect(cell.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(cell);
    expect(onSelect).toHaveBeenCalledWith({ trueLabel: 4, predicted: 9 });
    // Roving tab stop: only one cell is in the tab order; arrows move it.
    expect(heatmap.querySelectorAll('button[tabindex="0"]')).toHaveLength(1);
    const first = screen.getByTestId('cell-0-0');
    act(() => first.focus());
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    fireEvent.keyDown(screen.getByTestId('cell-0-1'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByTestId('cell-1-1'));
    expect(screen.getByTestId('cell-1-1').getAttribute('tabindex')).toBe('0');
  });

  it('colours cells by @mnist/metrics’ heatmap rule: zeros empty, mistakes on their own scale', () => {
    render(<ConfusionHeatmap counts={counts} classNames={DIGITS} />);
    const expected = heatmapColors(counts).cells;
    const zero = screen.getByTestId('cell-4-8');
    expect(zero.className).toBe('cell empty');
    expect(zero.getAttribute('style')).toBeNull();
    expect(zero.textContent).toBe('0'); // for screen readers only
    const mistake = screen.getByTestId('cell-4-9');
    expect(mistake.className).toBe('cell error');
    expect(mistake.style.background).toBe(expected[4]?.[9]?.background);
    expect(screen.getByTestId('cell-4-4').className).toBe('cell correct');
    // Without onSelect the heatmap informs only: no buttons.
    expect(within(screen.getByTestId('heatmap')).queryAllByRole('button')).toHaveLength(0);
  });

  it('ClassReport lists every class and the averages', () => {
    render(
      <ClassReport
        rows={DIGITS.map((name) => ({ name, precision: 0.9, recall: 0.8, f1: 0.85, support: 10 }))}
        averages={[{ name: 'macro avg', precision: 0.9, recall: 0.8, f1: 0.85, support: 100 }]}
        accuracy={0.8}
        total={100}
      />,
    );
    const table = screen.getByTestId('class-report');
    expect(table.querySelectorAll('tbody tr')).toHaveLength(10);
    expect(within(table).getByText('macro avg')).toBeTruthy();
    expect(within(table).getAllByText('0.850')).toHaveLength(11);
  });

  it('TestImageGrid pages through images and marks mistakes', () => {
    const indices = Array.from({ length: 45 }, (_, i) => i);
    render(
      <TestImageGrid
        title="Test images"
        indices={indices}
        classNames={DIGITS}
        item={(index) => ({
          index,
          pixels: new Uint8Array(784),
          label: index % 10,
          predicted: index === 3 ? 8 : index % 10,
          confidence: 0.9,
        })}
      />,
    );
    const grid = screen.getByTestId('image-grid');
    expect(grid.querySelectorAll('li')).toHaveLength(40);
    expect(grid.querySelectorAll('li.wrong')).toHaveLength(1);
    expect(screen.getByRole('img', { name: 'Test image 3: true 3, predicted 8' })).toBeTruthy();
    fireEvent.click(screen.getByText('Next'));
    expect(grid.querySelectorAll('li')).toHaveLength(5);
    expect(screen.getByText('Page 2 of 2')).toBeTruthy();
  });

  it('pages', () => {
    expect(pageRange(0, 40, 45)).toEqual({ start: 0, end: 40, pages: 2 });
    expect(pageRange(5, 40, 45)).toEqual({ start: 40, end: 45, pages: 2 });
    expect(pageRange(0, 40, 0)).toEqual({ start: 0, end: 0, pages: 1 });
  });

  it('ProgressBar is a native progress element with a label', () => {
    render(<ProgressBar label="Classifying" value={2000} max={10000} detail="2,000 / 10,000 images" />);
    const bar = screen.getByRole('progressbar', { name: 'Classifying' }) as HTMLProgressElement;
    expect(bar.value).toBe(2000);
    expect(bar.max).toBe(10000);
    expect(screen.getByText('Classifying: 2,000 / 10,000 images')).toBeTruthy();
  });
});

describe('digitToRgba', () => {
  it('draws white ink on black from bytes or from 0..1 floats', () => {
    const bytes = new Uint8Array(784);
    bytes[0] = 255;
    bytes[1] = 128;
    const rgba = digitToRgba(bytes, 255);
    expect(Array.from(rgba.slice(0, 8))).toEqual([255, 255, 255, 255, 128, 128, 128, 255]);
    const floats = new Float32Array(784);
    floats[2] = 0.5;
    expect(Array.from(digitToRgba(floats, 1).slice(8, 12))).toEqual([128, 128, 128, 255]);
    expect(() => digitToRgba(new Uint8Array(10), 255)).toThrow(/784/);
  });
});
