import {
  classify,
  type ImagesInput,
  initBackend,
  loadModel,
  loadPretrained,
  type MnistModel,
  type ModelFiles,
  type ModelJson,
  predict,
  type Verdict,
} from '@mnist/models/browser';
import type { ExportFormat } from '../yours/downloads';
import { layerSpec } from './layerSpec';
import { type BackendName, type ModelChoice, YOURS } from './names';
import { wasmPaths } from './wasm';

/** Thrown by {@link InferenceEngine.predictBatch} when the model or backend changed during a long run. */
export class ModelChangedError extends Error {
  constructor() {
    super('The model or backend was changed during the evaluation: evaluate again to use the new one.');
    this.name = 'ModelChangedError';
  }
}

/** One classification of one image. */
export interface Classification {
  /** One probability per class. */
  probabilities: Float32Array;
  /** The most probable class. */
  label: number;
  /** Its probability. */
  confidence: number;
  /** Whether the model is sure of `label`, or hesitates between the top two ("4 or 9?"). */
  verdict: Verdict;
  /** Wall-clock milliseconds for the call, including reading the result back from the backend. */
  ms: number;
}

/**
 * Owns tfjs for the page: which backend runs and which model is loaded (a pretrained one, or the visitor's own from
 * its `model.json` + weights). Every operation is queued, so a backend switch never happens in the middle of a
 * classification, and a model is reloaded on each backend (its weights live in the backend's memory).
 */
export class InferenceEngine {
  private queue: Promise<unknown> = Promise.resolve();
  private model: MnistModel | undefined;
  private modelName: ModelChoice | undefined;
  private backend: string | undefined;
  private generation = 0;
  private yours: ModelFiles | undefined;

  /**
   * Changes whenever the loaded model or the backend changes: a long run (the test-set explorer) records it and
   * passes it to {@link predictBatch}, so it never mixes predictions of two models.
   */
  get version(): number {
    return this.generation;
  }

  /** The backend tfjs is running on, once started. */
  get activeBackend(): string | undefined {
    return this.backend;
  }

  /** The loaded model's name. */
  get activeModel(): ModelChoice | undefined {
    return this.modelName;
  }

  /** The loaded model's layers, one line (`Dense(100, relu) → …`), for the curious. */
  get activeLayers(): string | undefined {
    return this.model ? layerSpec(this.model) : undefined;
  }

  private load(name: ModelChoice): Promise<MnistModel> {
    if (name !== YOURS) return loadPretrained(name);
    if (!this.yours) throw new Error('There is no model of yours yet: train one or load one first.');
    return loadModel(this.yours);
  }

  private run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Switches tfjs to `preference`, or, when that backend cannot start here, to the first of webgl, wasm, cpu
   * that can; then reloads the current model there. Resolves to the backend actually running.
   */
  useBackend(preference: BackendName): Promise<string> {
    return this.run(async () => {
      const options = { wasmPaths: wasmPaths() };
      let active: string;
      try {
        active = await initBackend(preference, options);
      } catch (error) {
        console.warn(`The ${preference} backend is unavailable here, falling back:`, error);
        active = await initBackend('auto', options);
      }
      if (active !== this.backend && this.modelName) {
        this.model?.layersModel.dispose();
        this.model = undefined;
        this.model = await this.load(this.modelName);
      }
      if (active !== this.backend) this.generation++;
      this.backend = active;
      return active;
    });
  }

  /** Loads a pretrained model (bundled with the site), or the visitor's own, on the current backend. */
  useModel(name: ModelChoice): Promise<void> {
    return this.run(async () => {
      if (name === this.modelName && this.model) return;
      const next = await this.load(name);
      this.model?.layersModel.dispose();
      this.model = next;
      this.modelName = name;
      this.generation++;
    });
  }

  /**
   * Sets (or, with undefined, forgets) the visitor's own model. The files are checked by loading them
   * (`loadModel`'s checks: whole, belonging together, 784 or 28×28×1 in and 10 out); when the visitor's model is
   * the active one it is replaced at once.
   *
   * @returns the loaded model's name and layers
   * @throws MnistModelError for files that are not a usable model (nothing changes then)
   */
  setYours(files: ModelFiles | undefined): Promise<{ name: string; layers: string } | undefined> {
    return this.run(async () => {
      if (!files) {
        this.yours = undefined;
        return undefined;
      }
      const next = await loadModel(files);
      const described = { name: next.name, layers: layerSpec(next) };
      this.yours = files;
      if (this.modelName === YOURS) {
        this.model?.layersModel.dispose();
        this.model = next;
        this.generation++;
      } else {
        next.layersModel.dispose();
      }
      return described;
    });
  }

  /**
   * Reads a Keras 3 `.keras` file (`loadModel({ keras })`: its layers converted, code and custom objects refused)
   * into the `model.json` + weights pair the page keeps and downloads. Changes nothing the canvas uses: pass the
   * result to {@link setYours}. The first call fetches @mnist/models' .keras reader and h5wasm; classifications
   * queued meanwhile wait for it.
   *
   * @returns the pair and the model's name (the Keras model's, or ours for a file written here)
   * @throws MnistModelError saying what is wrong with the file
   */
  readKeras(
    keras: Uint8Array,
    fileName: string,
  ): Promise<{ modelJson: ModelJson; weights: ArrayBuffer; name: string }> {
    return this.run(async () => {
      const { kerasToPair } = await import('./convert');
      return kerasToPair(keras, fileName);
    });
  }

  /**
   * A model given by its files as a Keras 3 `.keras` file or an ONNX file, for a download. The converters (and,
   * inside @mnist/models, h5wasm or the protobuf encoder) are fetched on the first call.
   *
   * @throws MnistModelError when the model cannot be written in that format (e.g. a layer ONNX has no
   *   conversion for)
   */
  exportModel(files: ModelFiles, format: ExportFormat): Promise<Uint8Array> {
    return this.run(async () => {
      const { exportBytes } = await import('./convert');
      const model = await loadModel(files);
      try {
        return await exportBytes(model, format);
      } finally {
        model.layersModel.dispose();
      }
    });
  }

  private requireModel(): MnistModel {
    if (!this.model) throw new Error('No model is loaded yet: call useModel() first.');
    return this.model;
  }

  /** Classifies one 784-float image (values in 0..1) and times the call. */
  classify(input: Float32Array): Promise<Classification> {
    return this.run(async () => {
      const model = this.requireModel();
      const start = performance.now();
      const result = await classify(model, input);
      const ms = performance.now() - start;
      return {
        probabilities: Float32Array.from(result.probabilities),
        label: result.label,
        confidence: result.confidence,
        verdict: result.verdict,
        ms,
      };
    });
  }

  /**
   * Class probabilities for a batch (an MnistSplit, or packed 784-value images): `count × 10` floats.
   *
   * @param expectedVersion - fail instead of predicting if the model or backend changed since this {@link version}
   */
  predictBatch(images: ImagesInput, expectedVersion?: number): Promise<Float32Array> {
    return this.run(async () => {
      if (expectedVersion !== undefined && expectedVersion !== this.generation) {
        throw new ModelChangedError();
      }
      return predict(this.requireModel(), images);
    });
  }
}
