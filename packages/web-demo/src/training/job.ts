// What the training worker does, apart from the Worker plumbing (worker.ts): fetch and verify MNIST, train with
// @mnist/models' own train(), evaluate on the test set, hand the model back as model.json + weights.bin. It runs
// the same in a browser worker and in Node (the unit tests drive it there with real data over real HTTP).
import { loadFromUrl, type MnistSplit } from '@mnist/data';
import {
  backendInfo,
  CLASSES,
  createModel,
  initBackend,
  type MnistModel,
  modelToFiles,
  predict,
  train,
} from '@mnist/models/browser';
import { topLabels } from '../explorer/evaluate';
import {
  describeFailure,
  type FromWorker,
  parseRequest,
  type TestPredictions,
  type TrainRequest,
  type WorkerRuntime,
} from './protocol';

/** Sends a message to the page (`postMessage` in a worker), transferring the listed buffers. */
export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

/** Minimum milliseconds between two live batch reports: up to twenty chart points a second. */
export const BATCH_REPORT_MS = 50;

/** Test images classified per call during the final evaluation (progress moves between calls). */
const EVALUATION_CHUNK = 1000;

/**
 * The worker's side of the protocol: one job at a time; `stop` aborts it between two batches. Anything it is sent
 * is checked first; every outcome, failures included, is answered with a message carrying the job's number.
 */
export class TrainingHost {
  private running: { job: number; controller: AbortController } | undefined;
  private readonly post: Post;

  constructor(post: Post) {
    this.post = post;
  }

  /** Handles one message from the page. Resolves when a started job has answered `done` or `failed`. */
  async handle(data: unknown): Promise<void> {
    let request: ReturnType<typeof parseRequest>;
    try {
      request = parseRequest(data);
    } catch (error) {
      const job = typeof data === 'object' && data !== null ? (data as { job?: unknown }).job : undefined;
      this.post({
        type: 'failed',
        job: Number.isSafeInteger(job) ? (job as number) : -1,
        failure: describeFailure(error),
      });
      return;
    }
    if (request.type === 'stop') {
      if (this.running?.job === request.job) this.running.controller.abort();
      return;
    }
    if (this.running) {
      this.post({
        type: 'failed',
        job: request.job,
        failure: {
          kind: 'busy',
          message: 'A model is already training here: stop it first.',
          retry: false,
        },
      });
      return;
    }
    const controller = new AbortController();
    this.running = { job: request.job, controller };
    try {
      await runJob(request, controller.signal, this.post);
    } catch (error) {
      this.post({ type: 'failed', job: request.job, failure: describeFailure(error) });
    } finally {
      this.running = undefined;
    }
  }
}

/**
 * Starts tfjs in the worker: wasm (SIMD when the browser has it), else cpu. Training steps run in @mnist/models'
 * WebAssembly engine where it applies (its own threads, where the page is isolated); tfjs evaluates and serialises.
 */
async function startBackend(request: TrainRequest): Promise<WorkerRuntime> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  let backend: string;
  try {
    backend = await initBackend('wasm', {
      ...(request.wasmPaths ? { wasmPaths: request.wasmPaths, log: false } : {}),
      // XNNPACK's thread pool is sized once, when the backend starts.
      ...(request.threads !== undefined && { wasmThreads: request.threads }),
    });
  } catch {
    // No WebAssembly at all (a locked-down browser): plain JavaScript still trains, slowly.
    backend = await initBackend('cpu', { log: false });
  }
  return { backend, simd: backendInfo()?.simd === true, isolated };
}

/** Runs one job to its end, posting progress; throws only for failures (which the host reports). */
async function runJob(request: TrainRequest, signal: AbortSignal, post: Post): Promise<void> {
  const { job, settings } = request;
  const runtime = await startBackend(request);
  // The four files: the training split to learn from, the test split to measure the result. Cached by the
  // service worker after the first time, so this is instant (and works offline) from then on.
  const data = await loadFromUrl({
    baseUrl: request.dataUrl,
    signal,
    onProgress: (p) =>
      post({
        type: 'download',
        job,
        progress: { file: p.file, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal },
      }),
  }).catch((error: unknown) => {
    if (signal.aborted) return undefined;
    throw error;
  });
  if (!data) {
    post({ type: 'cancelled', job });
    return;
  }
  const trainSet = data.train.subset(0, Math.min(settings.trainImages, data.train.count));
  const model = createModel(settings.model, { seed: settings.seed });
  try {
    post({
      type: 'started',
      job,
      runtime,
      batchesPerEpoch: Math.ceil(trainSet.count / settings.batchSize),
    });
    const result = await train(model, trainSet, {
      ...(request.threads !== undefined && { threads: request.threads }),
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      seed: settings.seed,
      signal,
      batchLogIntervalMs: BATCH_REPORT_MS,
      onBatchEnd: (log) => post({ type: 'batch', job, log }),
      onEpochEnd: (log) => post({ type: 'epoch', job, log }),
    });
    const test = await predictTestSet(model, data.test, (done) =>
      post({ type: 'evaluating', job, done, total: data.test.count }),
    );
    const files = await modelToFiles(model);
    post(
      {
        type: 'done',
        job,
        outcome: {
          stopped: result.aborted,
          history: result.history,
          samplesTrained: result.samplesTrained,
          seconds: result.seconds,
          engine: result.engine,
          modelJson: files.modelJson,
          weights: files.weights,
          test,
        },
      },
      [files.weights, test.labels.buffer, test.predicted.buffer, test.confidence.buffer],
    );
  } finally {
    model.layersModel.dispose();
  }
}

/** Classifies every test image, in chunks so the page sees progress. */
async function predictTestSet(
  model: MnistModel,
  test: MnistSplit,
  onProgress: (done: number) => void,
): Promise<TestPredictions> {
  const predicted = new Uint8Array(test.count);
  const confidence = new Float32Array(test.count);
  for (let from = 0; from < test.count; from += EVALUATION_CHUNK) {
    const to = Math.min(test.count, from + EVALUATION_CHUNK);
    const top = topLabels(await predict(model, test.subset(from, to)), CLASSES);
    predicted.set(top.predicted, from);
    confidence.set(top.confidence, from);
    onProgress(to);
  }
  return { labels: test.labels.slice(), predicted, confidence };
}
