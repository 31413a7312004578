// The engine's worker threads: `worker_threads` in Node, `Worker` in browsers, each started from the
// self-contained source below (no file, no bundler configuration), given the compiled module and the shared
// memory by postMessage, and then living inside the module's `workerLoop` until told to exit.

/** What a worker needs to join a step: the module, the memory, the plan, its thread number. */
export interface WorkerStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  plan: number;
  thread: number;
  generation: number;
  /** Word indices (i32) of the plan's error, phase and generation words, for the crash path. */
  errorWord: number;
  wakeWords: number[];
}

/** One running worker. */
export interface EngineWorker {
  /** Resolves when the worker has instantiated the module and entered its loop. */
  readonly ready: Promise<void>;
  /** The first failure reported by the worker (its message), if any. */
  readonly failure: string | undefined;
  terminate(): Promise<void>;
}

// Runs inside the worker. On a trap it raises the shared error word and wakes every waiter, so the other
// threads leave their barriers instead of waiting for a thread that is gone.
const WORKER_SOURCE = `
const port = typeof require === 'function'
  ? (() => { const { parentPort } = require('node:worker_threads');
      return { once: (f) => parentPort.once('message', f), post: (m) => parentPort.postMessage(m) }; })()
  : { once: (f) => { self.onmessage = (e) => { self.onmessage = null; f(e.data); }; }, post: (m) => self.postMessage(m) };
port.once((start) => {
  const fail = (error) => {
    try {
      const words = new Int32Array(start.memory.buffer);
      Atomics.store(words, start.errorWord, 1);
      for (const word of start.wakeWords) Atomics.notify(words, word);
    } finally {
      port.post({ type: 'error', message: String(error && error.message || error) });
    }
  };
  let instance;
  try {
    instance = new WebAssembly.Instance(start.module, { env: { memory: start.memory } });
  } catch (error) { fail(error); return; }
  port.post({ type: 'ready' });
  try {
    instance.exports.workerLoop(start.plan, start.thread, start.generation);
    port.post({ type: 'done' });
  } catch (error) { fail(error); }
});
`;

const live = new Set<EngineWorker>();

/** Threads started by the engine that have not exited yet (tests count them). */
export function liveEngineWorkers(): number {
  return live.size;
}

interface Port {
  /** Calls back once the thread is gone (Node: its exit event; browsers: right after terminate). */
  onExit(listener: () => void): void;
  post(message: unknown): void;
  onMessage(listener: (message: { type: string; message?: string }) => void): void;
  onFailure(listener: (message: string) => void): void;
  terminate(): Promise<unknown>;
}

/** Built at run time so that browser bundlers never try to resolve a Node built-in. */
const NODE_WORKER_THREADS = ['node', 'worker_threads'].join(':');

async function openPort(): Promise<Port> {
  const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
  if (isNode) {
    const { Worker } = (await import(
      /* @vite-ignore */ NODE_WORKER_THREADS
    )) as typeof import('node:worker_threads');
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    // A worker must never keep the process alive on its own.
    worker.unref();
    return {
      onExit: (listener) => worker.once('exit', listener),
      post: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.on('message', listener),
      onFailure: (listener) => {
        worker.on('error', (error) => listener(error.message));
        worker.on('exit', (code) => {
          if (code !== 0) listener(`the worker exited with code ${code}`);
        });
      },
      terminate: () => worker.terminate(),
    };
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  let exited: (() => void) | undefined;
  return {
    onExit: (listener) => {
      exited = listener;
    },
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => {
      worker.addEventListener('message', (event) => listener(event.data));
    },
    onFailure: (listener) => {
      worker.addEventListener('error', (event) => listener(event.message || 'the worker failed'));
      worker.addEventListener('messageerror', () => listener('the worker could not read its message'));
    },
    terminate: async () => {
      worker.terminate();
      exited?.();
    },
  };
}

/** Starts one worker for `start`. `onFailure` hears about a crash (after the shared error word is raised). */
export async function startWorker(
  start: WorkerStart,
  onFailure: (message: string) => void,
): Promise<EngineWorker> {
  const port = await openPort();
  let failure: string | undefined;
  let terminated = false;
  let resolveReady: () => void = () => {};
  let rejectReady: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {}); // observed by the caller; never an unhandled rejection
  const fail = (message: string) => {
    if (terminated || failure !== undefined) return;
    failure = message;
    // A worker that died without running its own handler (e.g. killed): raise the error word for it.
    const words = new Int32Array(start.memory.buffer);
    Atomics.store(words, start.errorWord, 1);
    for (const word of start.wakeWords) Atomics.notify(words, word);
    rejectReady(new Error(message));
    onFailure(message);
  };
  const worker: EngineWorker = {
    ready,
    get failure() {
      return failure;
    },
    async terminate() {
      if (terminated) return;
      terminated = true;
      await port.terminate();
    },
  };
  live.add(worker);
  port.onExit(() => live.delete(worker));
  port.onMessage((message) => {
    if (message.type === 'ready') resolveReady();
    else if (message.type === 'error') fail(message.message ?? 'the worker failed');
  });
  port.onFailure(fail);
  port.post(start);
  return worker;
}
