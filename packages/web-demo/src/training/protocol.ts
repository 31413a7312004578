// The messages between the page and its training worker. Pure: no tfjs, no DOM. Both sides check what they receive,
// because a message is input like any other (a stale tab, a future version of the page, a browser extension).
import { MnistDataError } from '@mnist/data';
import { explainDataFailure } from '../data/failures';
import type { BatchLog, EpochLog, ModelJson, TrainResult } from '@mnist/models';
import { parseSettings, SettingsError, type TrainSettings } from './settings';

/** Page → worker: start a job. */
export interface TrainRequest {
  type: 'train';
  /** Chosen by the page; every reply carries it, so replies from an older job are recognised and dropped. */
  job: number;
  settings: TrainSettings;
  /** Absolute URL of the folder that serves the four MNIST `.gz` files. */
  dataUrl: string;
  /** Where tfjs finds its wasm binaries (absolute URLs); absent: next to tfjs's script. */
  wasmPaths?: Record<string, string>;
  /**
   * Threads training may use: 1 forces one; absent lets `train()` choose (several only where the page is
   * cross-origin isolated, and only for models whose steps are worth splitting).
   */
  threads?: number;
}

/** Page → worker: stop the job between two batches (the model trained so far is kept and evaluated). */
export interface StopRequest {
  type: 'stop';
  job: number;
}

/** Everything the page sends. */
export type ToWorker = TrainRequest | StopRequest;

/** Bytes received for one data file. */
export interface DownloadProgress {
  /** File name, e.g. `train-images-idx3-ubyte.gz`. */
  file: string;
  bytesDone: number;
  bytesTotal: number | undefined;
}

/** How the worker runs: what tfjs and the browser gave it. */
export interface WorkerRuntime {
  /** The tfjs backend in use (`wasm`, or `cpu` when WebAssembly is unavailable). */
  backend: string;
  /** Whether WebAssembly SIMD is available (without it the wasm backend runs its slower plain build). */
  simd: boolean;
  /** Whether the page is cross-origin isolated (the condition for training on several threads). */
  isolated: boolean;
}

/** The test-set predictions of the trained model, one entry per test image. */
export interface TestPredictions {
  labels: Uint8Array;
  predicted: Uint8Array;
  confidence: Float32Array;
}

/** A finished (or stopped) job's outcome. */
export interface TrainOutcome {
  /** True when the visitor stopped it; the model then holds what was learned until then. */
  stopped: boolean;
  history: EpochLog[];
  /** Samples trained on, over all epochs (a stopped epoch's part included). */
  samplesTrained: number;
  /** Seconds of training (evaluation excluded). */
  seconds: number;
  /** What ran the training steps: @mnist/models' WebAssembly engine (on how many threads) or tfjs. */
  engine: TrainResult['engine'];
  /** The model as the standard `model.json` + `weights.bin` pair. */
  modelJson: ModelJson;
  weights: ArrayBuffer;
  /** Predictions on the 10,000 test images. */
  test: TestPredictions;
}

/** What kind of trouble a job ran into, which decides what the page offers next. */
export type FailureKind = 'download' | 'damaged-data' | 'memory' | 'settings' | 'busy' | 'crash' | 'internal';

/** A failure as the page shows it: plain words, and whether trying again can help. */
export interface Failure {
  kind: FailureKind;
  message: string;
  /** Pressing Train again may succeed (a cut download, a damaged file, memory freed since). */
  retry: boolean;
  /** The technical detail, for the curious (and bug reports). */
  detail?: string;
}

/** Everything the worker sends. */
export type FromWorker =
  | { type: 'download'; job: number; progress: DownloadProgress }
  | { type: 'started'; job: number; runtime: WorkerRuntime; batchesPerEpoch: number }
  | { type: 'batch'; job: number; log: BatchLog }
  | { type: 'epoch'; job: number; log: EpochLog }
  | { type: 'evaluating'; job: number; done: number; total: number }
  | { type: 'done'; job: number; outcome: TrainOutcome }
  /** Stopped before training began (during the download): there is no model. */
  | { type: 'cancelled'; job: number }
  | { type: 'failed'; job: number; failure: Failure };

/** Thrown by {@link parseRequest} for a message the worker cannot act on. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isJobId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Checks a message received by the worker and returns a clean copy.
 *
 * @throws ProtocolError for anything that is not a well-formed request (the settings' problem is named)
 */
export function parseRequest(data: unknown): ToWorker {
  if (!isRecord(data) || (data.type !== 'train' && data.type !== 'stop')) {
    throw new ProtocolError(`Not a training request: ${describeValue(data)}.`);
  }
  if (!isJobId(data.job)) throw new ProtocolError(`A ${data.type} request needs a job number.`);
  if (data.type === 'stop') return { type: 'stop', job: data.job };
  let settings: TrainSettings;
  try {
    settings = parseSettings(data.settings);
  } catch (error) {
    throw new ProtocolError(error instanceof SettingsError ? error.message : String(error));
  }
  if (typeof data.dataUrl !== 'string' || !/^(https?|file):/.test(data.dataUrl)) {
    throw new ProtocolError('A train request needs the absolute http(s) URL of the MNIST files.');
  }
  const request: TrainRequest = { type: 'train', job: data.job, settings, dataUrl: data.dataUrl };
  if (data.wasmPaths !== undefined) {
    const paths = data.wasmPaths;
    if (!isRecord(paths) || !Object.values(paths).every((p) => typeof p === 'string')) {
      throw new ProtocolError('wasmPaths must map file names to URLs.');
    }
    request.wasmPaths = { ...(paths as Record<string, string>) };
  }
  if (data.threads !== undefined) {
    if (!Number.isInteger(data.threads) || (data.threads as number) < 1 || (data.threads as number) > 64) {
      throw new ProtocolError('threads must be a whole number from 1 to 64.');
    }
    request.threads = data.threads as number;
  }
  return request;
}

/** True for a message of the worker's protocol (the page drops anything else, e.g. a stray extension message). */
export function isFromWorker(data: unknown): data is FromWorker {
  return (
    isRecord(data) &&
    isJobId(data.job) &&
    typeof data.type === 'string' &&
    ['download', 'started', 'batch', 'epoch', 'evaluating', 'done', 'cancelled', 'failed'].includes(data.type)
  );
}

function describeValue(v: unknown): string {
  if (isRecord(v)) return `an object with type ${JSON.stringify(v.type)}`;
  return typeof v;
}

const MEMORY_PATTERN =
  /out of memory|allocation failed|cannot allocate|array buffer allocation|memory access out of bounds|invalid array length|wasm memory/i;

/** Whether an error says the tab ran out of memory (browsers word it in several ways). */
export function isOutOfMemory(error: unknown): boolean {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (
    (error instanceof RangeError && /memory|allocat|length/i.test(message)) || MEMORY_PATTERN.test(message)
  );
}

/**
 * Turns anything a job can throw into what the visitor reads: what happened, in plain words, and whether
 * pressing Train again can help.
 */
export function describeFailure(error: unknown, online = true): Failure {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof ProtocolError || error instanceof SettingsError) {
    return { kind: 'settings', message: `These settings cannot be used: ${detail}`, retry: false, detail };
  }
  if (error instanceof MnistDataError) {
    const message =
      explainDataFailure(error, { what: 'the MNIST images', button: 'Train', online }) ?? detail;
    const kind = error.code === 'DOWNLOAD_FAILED' ? 'download' : 'damaged-data';
    return { kind, message, retry: true, detail };
  }
  if (isOutOfMemory(error)) {
    return {
      kind: 'memory',
      message:
        'The browser ran out of memory for training. Close other tabs, or train on fewer images or a smaller ' +
        'model, then press Train again.',
      retry: true,
      detail,
    };
  }
  return { kind: 'internal', message: `Training stopped with an error: ${detail}`, retry: true, detail };
}

/** The failure the page reports when the worker itself dies (a crash, or killed by the browser for memory). */
export function workerCrashed(detail: string): Failure {
  return {
    kind: 'crash',
    message:
      'The training worker stopped unexpectedly (the browser may have run out of memory). The page still works; ' +
      'press Train to start again, perhaps with fewer images or a smaller model.',
    retry: true,
    detail,
  };
}
