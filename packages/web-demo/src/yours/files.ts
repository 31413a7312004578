// Models into the page: the standard pair `mnist train --save DIR` writes and `mnist evaluate --model DIR` and
// `loadModel` read, model.json (topology, weights manifest) and weights.bin; or one Keras 3 `.keras` file (what
// `model.save('x.keras')` writes). Out of the page: downloads.ts.
import { MODEL_JSON, type ModelJson, WEIGHTS_BIN } from '@mnist/models/browser';

/** Files a visitor picked or dropped: name, size and bytes (the DOM's `File` has this shape). */
export interface PickedFile {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A model's files could not be used; the message says why and what to pick instead. */
export class ModelFilesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFilesError';
  }
}

/** Larger files are refused before reading: the biggest model here is under 1 MB; this leaves room for others. */
export const MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024;

const PICK_BOTH =
  `Choose the two files that \`mnist train --save DIR\` writes, ${MODEL_JSON} and ${WEIGHTS_BIN}, together ` +
  '(select both in the file dialog, or drop both at once), or one Keras .keras file.';

/** A model's files as picked: the tfjs pair, or one Keras file (converted by `loadModel({ keras })`). */
export type PickedModel =
  | { format: 'tfjs'; modelJson: ModelJson; weights: ArrayBuffer; fileName: string }
  | { format: 'keras'; keras: Uint8Array; fileName: string };

/** Whether a file's name says Keras 3's format. */
export const isKerasFile = (name: string) => /\.keras$/i.test(name);

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/**
 * Turns picked or dropped files into a model's files: one `.keras` file on its own, or one `.json` (the topology and
 * weights manifest) and the weight files its manifest names, concatenated in manifest order. Checks only what is
 * needed to tell them apart and pair them up; `loadModel` then checks the model itself (a `.keras` file's content
 * included).
 *
 * @throws ModelFilesError naming what is missing, too big or unreadable
 */
export async function readModelFiles(files: readonly PickedFile[]): Promise<PickedModel> {
  for (const f of files) {
    if (f.size > MAX_MODEL_FILE_BYTES) {
      throw new ModelFilesError(
        `${f.name} is ${(f.size / 1e6).toFixed(0)} MB: too big to be a digit model's file. ${PICK_BOTH}`,
      );
    }
  }
  const kerasFiles = files.filter((f) => isKerasFile(f.name));
  if (kerasFiles.length > 0) {
    const keras = kerasFiles[0] as PickedFile;
    if (files.length > 1) {
      throw new ModelFilesError(
        `A .keras file holds the whole model: choose ${keras.name} on its own ` +
          `(${files.length} files were chosen: ${files.map((f) => f.name).join(', ')}).`,
      );
    }
    return { format: 'keras', keras: new Uint8Array(await keras.arrayBuffer()), fileName: keras.name };
  }
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsons.length !== 1) {
    throw new ModelFilesError(
      jsons.length === 0
        ? `No ${MODEL_JSON} among the chosen files. ${PICK_BOTH}`
        : `Choose one ${MODEL_JSON}, not ${jsons.length}. ${PICK_BOTH}`,
    );
  }
  const jsonFile = jsons[0] as PickedFile;
  let modelJson: ModelJson;
  try {
    modelJson = JSON.parse(new TextDecoder().decode(await jsonFile.arrayBuffer())) as ModelJson;
  } catch {
    throw new ModelFilesError(
      `${jsonFile.name} is not JSON: it cannot be a model's ${MODEL_JSON}. ${PICK_BOTH}`,
    );
  }
  const manifest = (modelJson as { weightsManifest?: unknown }).weightsManifest;
  if (!Array.isArray(manifest)) {
    throw new ModelFilesError(
      `${jsonFile.name} is JSON but not a TensorFlow.js model (it has no weights manifest). ${PICK_BOTH}`,
    );
  }
  const paths = manifest.flatMap((group: { paths?: unknown }) =>
    Array.isArray(group?.paths) ? group.paths : [],
  );
  const parts: ArrayBuffer[] = [];
  for (const path of paths) {
    const wanted = baseName(String(path));
    const file = files.find((f) => f.name === wanted);
    if (!file) {
      throw new ModelFilesError(
        `${jsonFile.name} keeps its weights in ${wanted}, which was not chosen: pick it together with ${jsonFile.name}.`,
      );
    }
    parts.push(await file.arrayBuffer());
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const weights = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    weights.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return { format: 'tfjs', modelJson, weights: weights.buffer, fileName: jsonFile.name };
}
