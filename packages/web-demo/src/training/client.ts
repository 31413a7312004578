// The page's side of the training worker: starts it on first use, sends requests, hands replies of the current job
// to a listener, and turns a dead worker (a crash, or the browser killing it for memory) into a failure message
// while the page carries on.
import { type FromWorker, isFromWorker, type ToWorker, workerCrashed } from './protocol';

/** Creates the worker; the page passes Vite's `new Worker(new URL(...))` so the bundler sees the entry. */
export type WorkerFactory = () => Worker;

/** Sends requests to a training worker and reports what it answers. */
export class TrainingClient {
  private worker: Worker | undefined;
  private job = 0;
  private busy = false;
  private readonly create: WorkerFactory;
  private readonly listener: (message: FromWorker) => void;

  constructor(create: WorkerFactory, listener: (message: FromWorker) => void) {
    this.create = create;
    this.listener = listener;
  }

  /** Starts a job and returns its number; replies from older jobs are dropped from then on. */
  start(request: Omit<Extract<ToWorker, { type: 'train' }>, 'job'>): number {
    const job = ++this.job;
    this.busy = true;
    this.send({ ...request, job });
    return job;
  }

  /** Asks the current job to stop after the batch it is on. */
  stop(): void {
    if (this.busy) this.send({ type: 'stop', job: this.job });
  }

  /** Ends the worker (and any job in it) for good, e.g. when the page goes away. */
  dispose(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.busy = false;
  }

  private send(message: ToWorker): void {
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.create();
    worker.addEventListener('message', (event: MessageEvent<unknown>) => {
      const data = event.data;
      if (!isFromWorker(data) || data.job !== this.job) return;
      if (data.type === 'done' || data.type === 'failed' || data.type === 'cancelled') this.busy = false;
      this.listener(data);
    });
    // An uncaught error or a failed start (script missing, out of memory) ends the worker: replace it next time.
    const crashed = (detail: string) => {
      if (this.worker === worker) this.worker = undefined;
      worker.terminate();
      if (!this.busy) return;
      this.busy = false;
      this.listener({ type: 'failed', job: this.job, failure: workerCrashed(detail) });
    };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      crashed(event.message || 'the worker could not run');
    });
    worker.addEventListener('messageerror', () => crashed('a message from the worker could not be read'));
    this.worker = worker;
    return worker;
  }
}
