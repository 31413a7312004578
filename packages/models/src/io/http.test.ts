// Model downloads have the deadlines of @mnist/data's downloads: a server that never answers, or trickles its
// bytes, ends in FETCH_FAILED naming the file and the limit, and a signal cancels; real servers on 127.0.0.1.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, MnistModelError } from '../node.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let handler: Handler = () => {};
const server = createServer((request, response) => handler(request, response));
let base: string;
const timers = new Set<ReturnType<typeof setInterval>>();

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Headers and then one byte of a 1,000-byte body every 20 ms, until the client hangs up. */
const trickle: Handler = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
  response.write('{');
  const timer = setInterval(() => response.write(' '), 20);
  timers.add(timer);
  response.on('close', () => clearInterval(timer));
};

async function failure(promise: Promise<unknown>): Promise<MnistModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MnistModelError);
  return error as MnistModelError;
}

describe('loadModel from a URL', () => {
  it('gives up on a server that never answers after the idle timeout, naming the file', async () => {
    handler = () => {}; // the request is read, no answer ever comes
    for (const url of [`${base}/silent/model.json`, `${base}/silent/model.keras`]) {
      const error = await failure(loadModel(url, { timeoutMs: 200 }));
      expect(error.code).toBe('FETCH_FAILED');
      expect(error.file).toBe(url);
      expect(error.message).toMatch(/no data received for 200 ms\. Check the server, or allow more time/);
    }
  });

  it('gives up on a server that trickles at the deadline, however often a byte arrives', async () => {
    handler = trickle;
    const error = await failure(loadModel(`${base}/slow/model.json`, { timeoutMs: 10_000, deadlineMs: 300 }));
    expect(error.code).toBe('FETCH_FAILED');
    expect(error.message).toMatch(
      /^Could not fetch model\.json from http:\/\/127\.0\.0\.1:\d+\/slow\/model\.json: not complete within its 300 ms deadline \(\d+ bytes received\)/,
    );
  });

  it('stops when its signal fires, and when the signal of requestInit fires', async () => {
    for (const where of ['signal', 'requestInit'] as const) {
      const controller = new AbortController();
      handler = (request, response) => {
        trickle(request, response);
        controller.abort(new Error('enough'));
      };
      const options =
        where === 'signal' ? { signal: controller.signal } : { requestInit: { signal: controller.signal } };
      const error = await failure(loadModel(`${base}/cancelled/model.json`, options));
      expect(error.code).toBe('ABORTED');
      expect(error.message).toMatch(/was cancelled \(the AbortSignal fired\)/);
      expect((error.cause as Error).message).toBe('enough');
    }
  });

  it('refuses limits that are not a positive number of milliseconds', async () => {
    for (const options of [{ timeoutMs: 0 }, { deadlineMs: -1 }, { deadlineMs: Number.NaN }]) {
      const error = await failure(loadModel(`${base}/any/model.json`, options));
      expect(error.code).toBe('BAD_INPUT');
      expect(error.message).toMatch(/must be a number of milliseconds above 0/);
    }
  });
});
