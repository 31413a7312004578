import { MODEL_JSON, type ModelJson, WEIGHTS_BIN } from '@mnist/models/browser';
import { type DragEvent, useEffect, useId, useState } from 'react';
import type { YourModel } from './record';
import type { ExportFormat } from './downloads';
import type { PickedFile } from './files';
import type { YourModelActions } from './YourModelActions';

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Props of {@link YourModelCard}. */
export interface YourModelCardProps {
  model: YourModel | undefined;
  /** Whether the canvas already reads with it. */
  inUse: boolean;
  onUse(): void;
  onForget(): void;
  /** Checks and adopts a model loaded from files; rejects with the reason. */
  onLoad(model: YourModel): Promise<void>;
  /** Reads a `.keras` file into the pair the page keeps; rejects with the reason (MnistModelError). */
  readKeras(
    keras: Uint8Array,
    fileName: string,
  ): Promise<{ modelJson: ModelJson; weights: ArrayBuffer; name: string }>;
  /** The model (`model`) as a `.keras` or ONNX file; rejects with the reason. */
  exportModel(format: ExportFormat): Promise<Uint8Array>;
  storageProblem?: string;
}

/**
 * The visitor's model: use it on the canvas, download it as `model.json` + `weights.bin` (what `mnist evaluate
 * --model DIR` and `loadModel` read), as a Keras 3 `.keras` file or as ONNX, forget it, or load one saved by
 * `mnist train --save DIR` or by Keras (file picker or drag and drop).
 */
export function YourModelCard({
  model,
  inUse,
  onUse,
  onForget,
  onLoad,
  readKeras,
  exportModel,
  storageProblem,
}: YourModelCardProps) {
  const inputId = useId();
  const [problem, setProblem] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [dragging, setDragging] = useState(false);
  // What one can do with a model (use, download in three formats, forget) loads once there is one, and the code
  // that reads picked files when some are picked: a visitor who only draws downloads neither.
  const [Actions, setActions] = useState<typeof YourModelActions>();
  const [actionsProblem, setActionsProblem] = useState<string>();
  useEffect(() => {
    if (!model || Actions) return;
    import('./YourModelActions').then(
      (m) => setActions(() => m.YourModelActions),
      (e: unknown) =>
        setActionsProblem(`This part of the page did not load (${describe(e)}): reload the page.`),
    );
  }, [model, Actions]);

  const load = async (files: readonly PickedFile[]) => {
    if (files.length === 0) return;
    setProblem(undefined);
    setLoading(true);
    try {
      // Reading files is for visitors who pick some: loaded then, like the model's actions.
      const { readModelFiles } = await import('./files');
      const read = await readModelFiles(files);
      let loaded: { modelJson: ModelJson; weights: ArrayBuffer; name: string };
      if (read.format === 'keras') {
        loaded = await readKeras(read.keras, read.fileName);
      } else {
        const name = (read.modelJson as { userDefinedMetadata?: { mnist?: { name?: unknown } } })
          .userDefinedMetadata?.mnist?.name;
        loaded = { ...read, name: typeof name === 'string' ? name : 'custom' };
      }
      await onLoad({
        modelJson: loaded.modelJson,
        weights: loaded.weights,
        origin: 'loaded',
        name: loaded.name,
        savedAt: new Date().toISOString(),
        fileName: read.fileName,
      });
    } catch (e) {
      setProblem(`That model could not be loaded. ${describe(e)}`);
    } finally {
      setLoading(false);
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void load(Array.from(e.dataTransfer.files));
  };

  return (
    <div className="your-model" data-testid="your-model">
      <h3>Your model</h3>
      {model ? (
        Actions ? (
          <Actions model={model} inUse={inUse} onUse={onUse} onForget={onForget} exportModel={exportModel} />
        ) : (
          <p className={actionsProblem ? 'error' : 'muted'} {...(actionsProblem && { role: 'alert' })}>
            {actionsProblem ?? `${model.name}: loading…`}
          </p>
        )
      ) : (
        <p className="muted">
          None yet: train one above, or load one saved by <code>mnist train --save DIR</code> or by Keras (a{' '}
          <code>.keras</code> file).
        </p>
      )}
      {storageProblem && <p className="warning small">{storageProblem}</p>}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop zone also holds a real file input and label */}
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="model-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={inputId} className="button-like">
          Load a saved model…
        </label>
        <input
          id={inputId}
          className="visually-hidden"
          type="file"
          multiple
          accept=".json,.bin,.keras,application/json,application/octet-stream"
          data-testid="model-files"
          onChange={(e) => {
            void load(Array.from(e.currentTarget.files ?? []));
            e.currentTarget.value = '';
          }}
        />
        <span className="muted small">
          or drop {MODEL_JSON} and {WEIGHTS_BIN} here together, or one .keras file
          {loading ? ' · loading…' : ''}
        </span>
      </div>
      {problem && (
        <p className="error" role="alert" data-testid="model-load-error">
          {problem}
        </p>
      )}
    </div>
  );
}
