// The training worker's entry: wires the protocol host (job.ts) to the Worker's messages. Vite bundles it as a
// module worker of its own, fetched only when a visitor first presses Train.
/// <reference lib="webworker" />
import { TrainingHost } from './job';

declare const self: DedicatedWorkerGlobalScope;

const host = new TrainingHost((message, transfer) => self.postMessage(message, transfer ?? []));
self.addEventListener('message', (event) => {
  void host.handle(event.data);
});
