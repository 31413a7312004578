import { MODEL_NAMES, type ModelName } from '@mnist/models/browser';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { EvaluationSummary } from '../components/EvaluationSummary';
import { ProgressBar } from '../components/ProgressBar';
import { Segmented } from '../components/Segmented';
import { summarise } from '../explorer/summary';
import { MODEL_DESCRIPTIONS } from '../inference/names';
import { LineChart } from './LineChart';
import {
  defaultSettings,
  LIMITS,
  type NumericSetting,
  settingProblem,
  TRAIN_IMAGE_CHOICES,
  TRAIN_IMAGES_TOTAL,
  type TrainSettings,
} from './settings';
import type { TrainOutcome } from './protocol';
import { downloadTotals, etaSeconds, formatDuration, isRunning, trainingProgress } from './state';
import type { Training } from './useTraining';
import { formatCount } from '../format';

/** Props of {@link TrainingPanel}. */
export interface TrainingPanelProps {
  training: Training;
  classNames: readonly string[];
  /** Size of each data file the site ships, for the download bar's total. */
  dataSizes?: Readonly<Record<string, number>>;
  /** The model the form starts with. */
  initialModel?: ModelName;
  /** What to show under the result: the visitor's model card (use, download, load). */
  children?: React.ReactNode;
}

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const percent = (v: number) => `${(v * 100).toFixed(2)}%`;

/** The number fields of the form, in order, with their labels and steps. */
const FIELDS: readonly { key: Exclude<NumericSetting, 'trainImages'>; label: string; step: string }[] = [
  { key: 'epochs', label: 'Epochs', step: '1' },
  { key: 'batchSize', label: 'Batch size', step: '1' },
  { key: 'learningRate', label: 'Learning rate', step: 'any' },
  { key: 'seed', label: 'Seed', step: '1' },
];

/**
 * Train a model here, in a background thread: choose the model and its recipe, press Train, watch the curves and
 * the epochs, then see how it does on the test set and draw with it.
 */
export function TrainingPanel({
  training,
  classNames,
  dataSizes,
  initialModel = 'simple',
  children,
}: TrainingPanelProps) {
  const { state } = training;
  const [form, setForm] = useState<Record<keyof TrainSettings, string>>(() =>
    toForm(defaultSettings(initialModel)),
  );
  const formId = useId();
  const running = isRunning(state);
  const problems = Object.fromEntries(
    FIELDS.map((f) => [f.key, settingProblem(f.key, Number(form[f.key]))] as const),
  ) as Record<string, string | undefined>;
  const valid = Object.values(problems).every((p) => p === undefined);

  const chooseModel = (model: ModelName) =>
    setForm(toForm({ ...defaultSettings(model), trainImages: Number(form.trainImages) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid || running) return;
    training.start(fromForm(form));
  };

  const settings = state.settings;
  const progress = trainingProgress(state);
  const eta = etaSeconds(state);
  const summary = useMemo(
    () =>
      state.outcome
        ? summarise(state.outcome.test.labels, state.outcome.test.predicted, classNames)
        : undefined,
    [state.outcome, classNames],
  );
  const curve = state.curve;
  const xMax = settings ? settings.epochs * settings.trainImages : 1;

  return (
    <section className="panel train" aria-labelledby="train-heading" data-testid="training">
      <h2 id="train-heading">Train your own</h2>
      <p className="lede">
        Run the whole recipe here, in a background thread of your browser: download MNIST’s 60,000 training
        digits once, watch the model learn, then draw digits for the model you trained.
      </p>

      <form className="train-form" onSubmit={submit} aria-describedby={`${formId}-note`}>
        <Segmented
          legend="Model to train"
          testId="train-model"
          value={form.model as ModelName}
          onChange={chooseModel}
          disabled={running}
          options={MODEL_NAMES.map((m) => ({ value: m, label: m }))}
        >
          <p className="choice-note">{MODEL_DESCRIPTIONS[form.model as ModelName]}</p>
        </Segmented>
        <fieldset className="fields" disabled={running}>
          <legend>Recipe</legend>
          {FIELDS.map((f) => (
            <label key={f.key} className="field">
              <span>{f.label}</span>
              <input
                type="number"
                inputMode={f.key === 'learningRate' ? 'decimal' : 'numeric'}
                name={f.key}
                data-testid={`train-${f.key}`}
                min={LIMITS[f.key].min}
                max={LIMITS[f.key].max}
                step={f.step}
                value={form[f.key]}
                aria-invalid={problems[f.key] !== undefined}
                onChange={(e) => setForm({ ...form, [f.key]: e.target.value })}
              />
              {problems[f.key] && <small className="error">{problems[f.key]}</small>}
            </label>
          ))}
          <label className="field">
            <span>Training images</span>
            <select
              name="trainImages"
              data-testid="train-images"
              value={form.trainImages}
              onChange={(e) => setForm({ ...form, trainImages: e.target.value })}
            >
              {TRAIN_IMAGE_CHOICES.map((n) => (
                <option key={n} value={n}>
                  {n === TRAIN_IMAGES_TOTAL ? `all ${formatCount(n)}` : `first ${formatCount(n)}`}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <p id={`${formId}-note`} className="muted small">
          The defaults are the model’s own recipe, the one its pretrained weights were made with.
        </p>
        <div className="actions">
          <button type="submit" className="primary" data-testid="train-start" disabled={running || !valid}>
            {state.phase === 'failed' && state.failure?.retry ? 'Train again' : 'Train'}
          </button>
          <button
            type="button"
            data-testid="train-stop"
            disabled={!running || state.stopping}
            onClick={training.stop}
          >
            {state.stopping ? 'Stopping…' : 'Stop'}
          </button>
          <button
            type="button"
            disabled={running}
            onClick={() => setForm(toForm(defaultSettings(form.model as ModelName)))}
          >
            Reset to the recipe
          </button>
        </div>
      </form>

      <div className="train-status" aria-live="polite">
        {state.phase === 'downloading' && <DownloadBar state={state} sizes={dataSizes} />}
        {state.runtime && (
          <p className="runtime muted small" data-testid="train-runtime">
            {state.outcome ? engineSentence(state.outcome.engine) : runtimeSentence(state.runtime)}
          </p>
        )}
        {state.phase === 'training' && settings && (
          <ProgressBar
            label={`Epoch ${Math.min(settings.epochs, state.epochs.length + 1)} of ${settings.epochs}`}
            value={progress.done}
            max={progress.total}
            detail={`${formatCount(progress.done)} / ${formatCount(progress.total)} samples${eta === undefined ? '' : ` · about ${formatDuration(eta)} left`}`}
          />
        )}
        {state.phase === 'evaluating' && state.evaluation && (
          <ProgressBar
            label="Testing on images it never saw"
            value={state.evaluation.done}
            max={state.evaluation.total}
            detail={`${formatCount(state.evaluation.done)} / ${formatCount(state.evaluation.total)}`}
          />
        )}
        {state.phase === 'cancelled' && <p className="muted">Stopped before training began.</p>}
        {state.phase === 'failed' && state.failure && (
          <div className="failure" role="alert">
            <p className="error">{state.failure.message}</p>
            {state.failure.detail && state.failure.detail !== state.failure.message && (
              <details>
                <summary>Details</summary>
                <code>{state.failure.detail}</code>
              </details>
            )}
          </div>
        )}
      </div>

      {settings && curve.length > 0 && (
        <div className="charts">
          <LineChart
            title="Loss"
            points={curve.map((p) => ({ x: p.samples, y: p.loss }))}
            xMax={xMax}
            xPerEpoch={settings.trainImages}
            valueText={curve.at(-1)?.loss.toFixed(3)}
          />
          <LineChart
            title="Accuracy"
            points={curve.map((p) => ({ x: p.samples, y: p.accuracy }))}
            xMax={xMax}
            xPerEpoch={settings.trainImages}
            yDomain={[0, 1]}
            format={(v) => `${Math.round(v * 100)}%`}
            valueText={percent(curve.at(-1)?.accuracy ?? 0)}
          />
        </div>
      )}
      {state.epochs.length > 0 && (
        <div className="table-scroll">
          <table className="epochs" data-testid="train-epoch-table">
            <caption>
              Finished epochs (loss and accuracy on the training images, averaged over the epoch)
            </caption>
            <thead>
              <tr>
                <th scope="col">epoch</th>
                <th scope="col">loss</th>
                <th scope="col">accuracy</th>
                <th scope="col">seconds</th>
                <th scope="col">samples/s</th>
              </tr>
            </thead>
            <tbody>
              {state.epochs.map((e) => (
                <tr key={e.epoch} data-testid="train-epoch">
                  <th scope="row">{e.epoch}</th>
                  <td>{e.loss.toFixed(4)}</td>
                  <td>{percent(e.accuracy)}</td>
                  <td>{e.seconds.toFixed(1)}</td>
                  <td>{formatCount(Math.round(e.samplesPerSecond))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {state.outcome && summary && (
        <div className="train-results" data-testid="train-results">
          <p className="accuracy-line">
            Test accuracy{' '}
            <strong data-testid="train-result" data-value={summary.accuracy}>
              {percent(summary.accuracy)}
            </strong>{' '}
            on {formatCount(state.outcome.test.labels.length)} test images
            {state.outcome.stopped && (
              <span className="muted">
                {' '}
                (stopped after {formatCount(state.outcome.samplesTrained)} samples: this is what it had
                learned by then)
              </span>
            )}
          </p>
          <EvaluationSummary
            summary={summary}
            total={state.outcome.test.labels.length}
            classNames={classNames}
          />
        </div>
      )}
      {children}
    </section>
  );
}

function DownloadBar({
  state,
  sizes,
}: {
  state: Training['state'];
  sizes?: Readonly<Record<string, number>>;
}) {
  const { bytesDone, bytesTotal } = downloadTotals(state, sizes);
  return (
    <ProgressBar
      label="Downloading MNIST (only the first time)"
      value={bytesDone}
      max={bytesTotal}
      detail={bytesTotal === undefined ? MB(bytesDone) : `${MB(bytesDone)} of ${MB(bytesTotal)}`}
    />
  );
}

/** How the worker runs, in one sentence: backend and SIMD (and whether threads are possible at all). */
export function runtimeSentence(r: { backend: string; simd: boolean; isolated: boolean }): string {
  if (r.backend !== 'wasm') {
    return 'Training in plain JavaScript: this browser cannot run WebAssembly here, so it is slow.';
  }
  const simd = r.simd
    ? 'WebAssembly with SIMD'
    : 'WebAssembly without SIMD (this browser lacks it: slower, same results)';
  return `Training in a background thread · ${simd}${r.isolated ? ' · threads available' : ''}.`;
}

/** What ran the training steps, in one sentence, once a run is over. */
export function engineSentence(engine: TrainOutcome['engine']): string {
  if (engine.kind === 'tfjs') return `Trained with tfjs on its ${engine.backend} backend.`;
  return `Trained by the WebAssembly engine of @mnist/models on ${engine.threads} thread${engine.threads === 1 ? '' : 's'}.`;
}

function toForm(s: TrainSettings): Record<keyof TrainSettings, string> {
  return {
    model: s.model,
    epochs: String(s.epochs),
    batchSize: String(s.batchSize),
    learningRate: String(s.learningRate),
    seed: String(s.seed),
    trainImages: String(s.trainImages),
  };
}

function fromForm(f: Record<keyof TrainSettings, string>): TrainSettings {
  return {
    model: f.model as ModelName,
    epochs: Number(f.epochs),
    batchSize: Number(f.batchSize),
    learningRate: Number(f.learningRate),
    seed: Number(f.seed),
    trainImages: Number(f.trainImages),
  };
}
