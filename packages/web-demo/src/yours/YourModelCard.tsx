import { MODEL_JSON, WEIGHTS_BIN } from '@mnist/models/browser';
import { type DragEvent, useId, useState } from 'react';
import { describeYourModel, type YourModel } from './record';
import { filesForDownload, type PickedFile, readModelFiles, saveBlob } from './files';

/** Props of {@link YourModelCard}. */
export interface YourModelCardProps {
  model: YourModel | undefined;
  /** Whether the canvas already reads with it. */
  inUse: boolean;
  onUse(): void;
  onForget(): void;
  /** Checks and adopts a model loaded from files; rejects with the reason. */
  onLoad(model: YourModel): Promise<void>;
  storageProblem?: string;
}

/**
 * The visitor's model: use it on the canvas, download it as `model.json` + `weights.bin` (what `mnist evaluate
 * --model DIR` and `loadModel` read), forget it, or load one saved by `mnist train --save DIR` (file picker or drag
 * and drop).
 */
export function YourModelCard({ model, inUse, onUse, onForget, onLoad, storageProblem }: YourModelCardProps) {
  const inputId = useId();
  const [problem, setProblem] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [dragging, setDragging] = useState(false);
  const downloads = model ? filesForDownload(model.modelJson, model.weights) : [];

  const load = async (files: readonly PickedFile[]) => {
    if (files.length === 0) return;
    setProblem(undefined);
    setLoading(true);
    try {
      const read = await readModelFiles(files);
      const name = (read.modelJson as { userDefinedMetadata?: { mnist?: { name?: unknown } } })
        .userDefinedMetadata?.mnist?.name;
      await onLoad({
        modelJson: read.modelJson,
        weights: read.weights,
        origin: 'loaded',
        name: typeof name === 'string' ? name : 'custom',
        savedAt: new Date().toISOString(),
        fileName: read.fileName,
      });
    } catch (e) {
      setProblem(`That model could not be loaded. ${e instanceof Error ? e.message : String(e)}`);
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
        <>
          <p data-testid="your-model-description">{describeYourModel(model)}</p>
          <div className="actions">
            <button
              type="button"
              className="primary"
              data-testid="use-trained"
              onClick={onUse}
              disabled={inUse}
            >
              {inUse ? 'The canvas uses it' : 'Use this model'}
            </button>
            <button
              type="button"
              data-testid="download-model"
              onClick={() => {
                for (const d of downloads) saveBlob(d.name, d.blob);
              }}
            >
              Download
            </button>
            <button type="button" data-testid="forget-model" onClick={onForget}>
              Forget
            </button>
          </div>
          <p className="muted small">
            Download saves {MODEL_JSON} and {WEIGHTS_BIN}: put both in a folder and run{' '}
            <code>mnist evaluate --model folder</code>, or load them with <code>loadModel</code>.
          </p>
        </>
      ) : (
        <p className="muted">
          None yet: train one above, or load one saved by <code>mnist train --save DIR</code>.
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
          accept=".json,.bin,application/json,application/octet-stream"
          data-testid="model-files"
          onChange={(e) => {
            void load(Array.from(e.currentTarget.files ?? []));
            e.currentTarget.value = '';
          }}
        />
        <span className="muted small">
          or drop {MODEL_JSON} and {WEIGHTS_BIN} here together{loading ? ' · loading…' : ''}
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
