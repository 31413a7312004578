import type { MnistSplit } from '@mnist/data';
import { useCallback, useId, useMemo, useRef, useState } from 'react';
import type { MatrixCell } from '../components/ConfusionHeatmap';
import { EvaluationSummary } from '../components/EvaluationSummary';
import { ProgressBar } from '../components/ProgressBar';
import { ReliabilityChart } from '../components/ReliabilityChart';
import { TestImageGrid } from '../components/TestImageGrid';
import type { Inference } from '../inference/useInference';
import { type Predictions, predictTestImages } from './evaluate';
import { type ExplorerSummary, summarise } from './summary';
import { explainDataFailure } from '../data/failures';
import { loadFromUrl } from '@mnist/data';
import { dataUrl } from '../data/location';
import { type FileProgress, sumProgress } from '../data/progress';
import { formatCount } from '../format';

/** Props of {@link TestSetExplorer}. */
export interface TestSetExplorerProps {
  inference: Inference;
  /** Size of each test file the site ships (the download bar's total), when known. */
  testSizes?: Readonly<Record<string, number>>;
  /** The active model's name as the page shows it ("cnn", "your model"). */
  modelLabel: string;
  classNames: readonly string[];
  /** Number of test images selected at first (from `?n=`). */
  defaultSize: number;
  /** Sizes offered in the menu. */
  sizes: readonly number[];
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'loading'; bytesDone: number; bytesTotal: number | undefined }
  | { kind: 'evaluating'; done: number; total: number }
  | { kind: 'error'; message: string };

interface Run {
  split: MnistSplit;
  predictions: Predictions;
  summary: ExplorerSummary;
  model: string;
  backend: string;
  /** Which of the visitor's models it was (they can train or load another). */
  yoursVersion: number;
}

/** Indices of the images in a confusion-matrix cell, or of all (or all misclassified) images. */
export function selectIndices(p: Predictions, cell: MatrixCell | null, onlyMistakes: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.count; i++) {
    const label = p.labels[i] as number;
    const predicted = p.predicted[i] as number;
    if (
      cell ? label === cell.trueLabel && predicted === cell.predicted : !onlyMistakes || label !== predicted
    ) {
      out.push(i);
    }
  }
  return out;
}

// The test set is fetched once per page and shared by every run.
let testSplit: Promise<MnistSplit> | undefined;

/**
 * Evaluates the chosen model on MNIST's test images in the browser: progress while downloading and classifying,
 * then accuracy, the confusion matrix as a clickable heatmap, the per-class report, and the images themselves.
 */
export function TestSetExplorer({
  inference,
  modelLabel,
  classNames,
  defaultSize,
  sizes,
  testSizes,
}: TestSetExplorerProps) {
  const [size, setSize] = useState(defaultSize);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [run, setRun] = useState<Run | null>(null);
  const [selected, setSelected] = useState<MatrixCell | null>(null);
  const [onlyMistakes, setOnlyMistakes] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const sizeId = useId();
  // After a cell is chosen its images appear below the heatmap, often off screen on a phone: bring them in view.
  const showImages = useCallback(() => {
    requestAnimationFrame(() => {
      const grid = gridRef.current;
      if (!grid) return;
      const box = grid.getBoundingClientRect();
      if (box.top >= 0 && box.top < window.innerHeight * 0.75) return;
      const smooth = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      grid.scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' });
    });
  }, []);
  const options = useMemo(
    () => [...new Set([...sizes, defaultSize])].sort((a, b) => a - b),
    [sizes, defaultSize],
  );

  const busy = phase.kind === 'loading' || phase.kind === 'evaluating';
  const ready = !inference.switching && inference.activeModel !== undefined;

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    try {
      setPhase({ kind: 'loading', bytesDone: 0, bytesTotal: undefined });
      // Only the two test files, verified by @mnist/data; the training set is not needed here.
      const files: Record<string, FileProgress> = {};
      testSplit ??= loadFromUrl({
        baseUrl: dataUrl(),
        splits: ['test'],
        onProgress: (p) => {
          files[p.file] = p;
          setPhase({ kind: 'loading', ...sumProgress(files, testSizes) });
        },
      }).then((data) => data.test);
      const split = await testSplit.catch((e: unknown) => {
        testSplit = undefined; // let the next attempt fetch again
        throw e;
      });
      const total = Math.min(size, split.count);
      setPhase({ kind: 'evaluating', done: 0, total });
      const model = inference.activeModel ?? inference.model;
      const backend = inference.activeBackend ?? inference.backend;
      const predictions = await predictTestImages(inference.engine, split, total, {
        signal: controller.signal,
        onProgress: (done) => setPhase({ kind: 'evaluating', done, total }),
      });
      setRun({
        split,
        predictions,
        summary: summarise(predictions.labels, predictions.predicted, classNames, predictions.probabilities),
        model,
        backend,
        yoursVersion: inference.yoursVersion,
      });
      setSelected(null);
      setPhase({ kind: 'idle' });
    } catch (e) {
      if (controller.signal.aborted) setPhase({ kind: 'idle' });
      else {
        const online = typeof navigator === 'undefined' || navigator.onLine !== false;
        const plain = explainDataFailure(e, { what: 'the test images', button: 'Evaluate', online });
        setPhase({ kind: 'error', message: plain ?? (e instanceof Error ? e.message : String(e)) });
      }
    } finally {
      abort.current = null;
    }
  };

  const indices = useMemo(
    () => (run ? selectIndices(run.predictions, selected, onlyMistakes) : []),
    [run, selected, onlyMistakes],
  );
  const stale =
    run &&
    (run.model !== inference.activeModel ||
      run.backend !== inference.activeBackend ||
      run.yoursVersion !== inference.yoursVersion);
  const name = (l: number) => classNames[l] ?? String(l);

  return (
    <section className="panel explorer" aria-labelledby="explorer-heading" data-testid="explorer">
      <h2 id="explorer-heading">Where does it go wrong?</h2>
      <p className="lede">
        Run the model on MNIST’s 10,000 test images, digits it never saw while learning, and see which ones it
        gets wrong. Select a square of the grid to see those images.
      </p>
      <div className="explorer-controls">
        <label htmlFor={sizeId}>Test images</label>
        <select id={sizeId} value={size} onChange={(e) => setSize(Number(e.target.value))} disabled={busy}>
          {options.map((n) => (
            <option key={n} value={n}>
              {n === 10000 ? 'all 10,000' : formatCount(n)}
            </option>
          ))}
        </select>
        {busy ? (
          <button type="button" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        ) : (
          <button type="button" data-testid="evaluate" onClick={start} disabled={!ready}>
            Evaluate {modelLabel}
          </button>
        )}
      </div>

      {phase.kind === 'loading' && (
        <ProgressBar
          label="Downloading the test set"
          value={phase.bytesDone}
          max={phase.bytesTotal}
          detail={`${(phase.bytesDone / 1e6).toFixed(1)} MB`}
        />
      )}
      {phase.kind === 'evaluating' && (
        <ProgressBar
          label="Classifying"
          value={phase.done}
          max={phase.total}
          detail={`${formatCount(phase.done)} / ${formatCount(phase.total)} images`}
        />
      )}
      {phase.kind === 'error' && (
        <p className="error" role="alert">
          {phase.message}
        </p>
      )}

      {run && (
        <div className="results" data-testid="results">
          <p className="accuracy-line">
            Accuracy{' '}
            <strong data-testid="accuracy" data-value={run.summary.accuracy}>
              {(run.summary.accuracy * 100).toFixed(2)}%
            </strong>{' '}
            on {formatCount(run.predictions.count)} test images ({run.model} on {run.backend},{' '}
            {(run.predictions.ms / 1000).toFixed(1)} s)
            {stale && (
              <span className="warning"> · made with another model or backend: evaluate again to update</span>
            )}
          </p>
          <EvaluationSummary
            summary={run.summary}
            total={run.predictions.count}
            classNames={classNames}
            selected={selected}
            onSelect={(cell) => {
              setSelected((s) =>
                s && s.trueLabel === cell.trueLabel && s.predicted === cell.predicted ? null : cell,
              );
              showImages();
            }}
          />
          {run.summary.calibration && <ReliabilityChart diagram={run.summary.calibration} />}
          <div className="grid-controls">
            {selected ? (
              <button type="button" onClick={() => setSelected(null)}>
                Show all images
              </button>
            ) : (
              <label>
                <input
                  type="checkbox"
                  checked={onlyMistakes}
                  onChange={(e) => setOnlyMistakes(e.target.checked)}
                />{' '}
                Only mistakes
              </label>
            )}
          </div>
          <div ref={gridRef} className="grid-anchor">
            <TestImageGrid
              title={
                selected
                  ? `True ${name(selected.trueLabel)}, predicted ${name(selected.predicted)}`
                  : onlyMistakes
                    ? 'Misclassified test images'
                    : 'Test images'
              }
              indices={indices}
              classNames={classNames}
              item={(index) => ({
                index,
                pixels: run.split.image(index),
                label: run.predictions.labels[index] as number,
                predicted: run.predictions.predicted[index] as number,
                confidence: run.predictions.confidence[index] as number,
              })}
            />
          </div>
        </div>
      )}
    </section>
  );
}
