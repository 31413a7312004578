import { MODEL_JSON, WEIGHTS_BIN } from '@mnist/models/browser';
import { useState } from 'react';
import { type ExportFormat, exportFileName, filesForDownload, saveBlob } from './downloads';
import { describeYourModel, type YourModel } from './record';

/** Props of {@link YourModelActions}. */
export interface YourModelActionsProps {
  model: YourModel;
  /** Whether the canvas already reads with it. */
  inUse: boolean;
  onUse(): void;
  onForget(): void;
  /** The model as a `.keras` or ONNX file; rejects with the reason. */
  exportModel(format: ExportFormat): Promise<Uint8Array>;
}

/** What each download button says, and the file's type. */
const EXPORTS: Record<ExportFormat, { label: string; type: string }> = {
  keras: { label: 'Download for Keras', type: 'application/octet-stream' },
  onnx: { label: 'Download as ONNX', type: 'application/octet-stream' },
};

/**
 * The visitor's model, once there is one: what it is, use it on the canvas, forget it, and download it as
 * `model.json` + `weights.bin` (what `mnist evaluate --model DIR` and `loadModel` read), as a Keras 3 `.keras` file
 * (`modelToKeras`) or as ONNX (`toOnnx`), converted when asked. A format that cannot hold the model says why.
 */
export function YourModelActions({ model, inUse, onUse, onForget, exportModel }: YourModelActionsProps) {
  const [exporting, setExporting] = useState<ExportFormat>();
  const [exportProblem, setExportProblem] = useState<string>();
  const downloads = filesForDownload(model.modelJson, model.weights);

  const download = async (format: ExportFormat) => {
    if (exporting) return;
    setExportProblem(undefined);
    setExporting(format);
    try {
      const bytes = await exportModel(format);
      saveBlob(exportFileName(model.name, format), new Blob([bytes.slice()], { type: EXPORTS[format].type }));
    } catch (e) {
      setExportProblem(
        `${EXPORTS[format].label} did not work. ${e instanceof Error ? e.message : String(e)}`,
      );
    } finally {
      setExporting(undefined);
    }
  };

  return (
    <>
      <p data-testid="your-model-description">{describeYourModel(model)}</p>
      <div className="actions">
        <button type="button" className="primary" data-testid="use-trained" onClick={onUse} disabled={inUse}>
          {inUse ? 'The canvas uses it' : 'Use this model'}
        </button>
        <button type="button" data-testid="forget-model" onClick={onForget}>
          Forget
        </button>
      </div>
      <fieldset className="actions downloads">
        <legend className="visually-hidden">Download your model</legend>
        <button
          type="button"
          data-testid="download-model"
          onClick={() => {
            for (const d of downloads) saveBlob(d.name, d.blob);
          }}
        >
          Download
        </button>
        {(Object.keys(EXPORTS) as ExportFormat[]).map((format) => (
          <button
            key={format}
            type="button"
            data-testid={`download-${format}`}
            onClick={() => void download(format)}
            disabled={exporting !== undefined}
            aria-busy={exporting === format}
          >
            {exporting === format ? 'Preparing…' : EXPORTS[format].label}
          </button>
        ))}
      </fieldset>
      <p className="muted small">
        Download saves {MODEL_JSON} and {WEIGHTS_BIN}: put both in a folder and run{' '}
        <code>mnist evaluate --model folder</code>, or load them with <code>loadModel</code>. For Keras:{' '}
        <code>{exportFileName(model.name, 'keras')}</code>, which <code>keras.saving.load_model</code> opens
        compiled as the Keras tutorial compiles. As ONNX: <code>{exportFileName(model.name, 'onnx')}</code>{' '}
        for onnxruntime (input <code>pixels</code>, grey levels ÷ 255; output <code>probabilities</code>).
      </p>
      {exportProblem && (
        <p className="error" role="alert" data-testid="model-export-error">
          {exportProblem}
        </p>
      )}
    </>
  );
}
