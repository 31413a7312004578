// Models out of the page, as downloads: the standard pair `mnist evaluate --model DIR` and `loadModel` read
// (model.json + weights.bin), and the names of the .keras and ONNX files. Loaded with the model's actions, once the
// visitor has a model (files.ts reads models in).
import { MODEL_JSON, type ModelJson, WEIGHTS_BIN } from '@mnist/models/browser';

/**
 * The two files to download: `model.json` (with its manifest pointing at `weights.bin`, whatever it named before)
 * and `weights.bin`.
 */
export function filesForDownload(modelJson: ModelJson, weights: ArrayBuffer): { name: string; blob: Blob }[] {
  const json: ModelJson = {
    ...modelJson,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: modelJson.weightsManifest.flatMap((g) => g.weights) }],
  };
  return [
    { name: MODEL_JSON, blob: new Blob([JSON.stringify(json)], { type: 'application/json' }) },
    { name: WEIGHTS_BIN, blob: new Blob([weights], { type: 'application/octet-stream' }) },
  ];
}

/** The formats a model downloads in besides the tfjs pair, each converted by `@mnist/models` on demand. */
export type ExportFormat = 'keras' | 'onnx';

/**
 * The file name of a model's download, from its architecture's name: `mnist-mlp.keras`, `mnist-cnn.onnx`
 * (anything but letters, digits, `-` and `_` becomes `-`, so a loaded model's name cannot make a path).
 */
export function exportFileName(modelName: string, format: ExportFormat): string {
  const slug = modelName.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
  return `mnist-${slug}.${format}`;
}

/** Saves a blob through the browser's download (an `<a download>` click). */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the download a moment to start before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
