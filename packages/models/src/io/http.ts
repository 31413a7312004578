import { DEFAULT_TIMEOUT_MS, defaultDeadlineMs } from '@mnist/data';
import { MnistModelError } from '../errors.js';
import { MODEL_JSON, type ModelFiles, parseModelJson } from './artifacts.js';
import { planShards, sizeMismatch } from './confine.js';
import { MAX_KERAS_FILE_BYTES, MAX_MODEL_JSON_BYTES } from './limits.js';

/** How long a model file may take to arrive: the same rules as `@mnist/data`'s downloads. */
export interface TransferOptions {
  /** Passed to `fetch` (headers, credentials; its `signal` cancels too). */
  readonly init?: RequestInit | undefined;
  /** Cancels the transfer: the load rejects with `ABORTED`. */
  readonly signal?: AbortSignal | undefined;
  /** No byte for this long ends a file's transfer (default `DEFAULT_TIMEOUT_MS` of `@mnist/data`, 30 s). */
  readonly timeoutMs?: number | undefined;
  /**
   * The most one file may take, from request to last byte (default `defaultDeadlineMs` of `@mnist/data`: one
   * minute plus one second per 16 KiB of the file's size, as announced, else of the most it may hold).
   */
  readonly deadlineMs?: number | undefined;
}

/** Thrown when a body is longer than what may be read of it; the rest was not downloaded. */
class TooLong extends Error {}

/** `ms` as given, checked: a positive number of milliseconds (Infinity for none). */
function milliseconds(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new MnistModelError(
      'BAD_INPUT',
      `loadModel: ${what} must be a number of milliseconds above 0; got ${value}.`,
    );
  }
  return value;
}

/**
 * Fetches `url` and reads its body into memory, never more than `limit` bytes (a declared `Content-Length` over
 * it is refused before reading, the stream is cancelled as soon as it goes past: `TooLong`), within an idle
 * timeout and an overall deadline, and cancelled by the signals of `transfer`. `check` sees the response before
 * its body is read (and may refuse it).
 */
async function download(
  url: string,
  what: string,
  limit: number,
  transfer: TransferOptions,
  check?: (response: Response) => void,
): Promise<{ bytes: Uint8Array; response: Response }> {
  const timeoutMs = milliseconds(transfer.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
  const signals = [transfer.signal, transfer.init?.signal ?? undefined].filter(
    (signal): signal is AbortSignal => signal !== undefined,
  );
  const cancelled = () => signals.find((signal) => signal.aborted);
  const aborted = (signal: AbortSignal) =>
    new MnistModelError('ABORTED', `Loading ${what} from ${url} was cancelled (the AbortSignal fired).`, {
      file: url,
      cause: signal.reason,
    });
  const early = cancelled();
  if (early !== undefined) throw aborted(early);
  const controller = new AbortController();
  const started = performance.now();
  let ended: 'stalled' | 'deadline' | undefined;
  let deadlineMs = milliseconds(transfer.deadlineMs, defaultDeadlineMs(limit), 'deadlineMs');
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  const stop = (why: 'stalled' | 'deadline') => () => {
    ended ??= why;
    controller.abort();
  };
  const armStall = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(stop('stalled'), timeoutMs);
  };
  const armDeadline = () => {
    clearTimeout(deadlineTimer);
    deadlineTimer = setTimeout(stop('deadline'), Math.max(0, deadlineMs - (performance.now() - started)));
  };
  const onAbort = () => controller.abort();
  for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
  armStall();
  armDeadline();
  let received = 0;
  let complete = false;
  try {
    const response = await fetch(url, { ...transfer.init, signal: controller.signal });
    if (!response.ok) {
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        throw new MnistModelError(
          'FETCH_FAILED',
          `${url} answered with a redirect; ${what} are not followed elsewhere. Serve them next to ${MODEL_JSON}.`,
          { file: url },
        );
      }
      throw new MnistModelError(
        response.status === 404 ? 'NOT_FOUND' : 'FETCH_FAILED',
        `Fetching ${what} from ${url} failed with HTTP ${response.status} ${response.statusText}. ` +
          `Check that ${MODEL_JSON} and its weights file(s) are served side by side at that address.`,
        { file: url },
      );
    }
    check?.(response);
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit) throw new TooLong();
    // The deadline of the size announced, when the server says it (and no deadline was given).
    if (Number.isFinite(declared) && transfer.deadlineMs === undefined) {
      deadlineMs = defaultDeadlineMs(declared);
      armDeadline();
    }
    const chunks: Uint8Array[] = [];
    if (response.body !== null) {
      const reader = response.body.getReader();
      for (;;) {
        armStall();
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > limit) throw new TooLong();
        chunks.push(value);
      }
    }
    const bytes = new Uint8Array(received);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    complete = true;
    return { bytes, response };
  } catch (error) {
    const signal = cancelled();
    if (signal !== undefined) throw aborted(signal);
    if (error instanceof MnistModelError || error instanceof TooLong) throw error;
    const reason =
      ended === 'stalled'
        ? `no data received for ${timeoutMs} ms`
        : ended === 'deadline'
          ? `not complete within its ${Math.round(deadlineMs)} ms deadline (${received} bytes received)`
          : (error as Error).message;
    const advice =
      ended === undefined
        ? 'Check the URL and the network.'
        : 'Check the server, or allow more time with the timeoutMs and deadlineMs options.';
    throw new MnistModelError('FETCH_FAILED', `Could not fetch ${what} from ${url}: ${reason}. ${advice}`, {
      file: url,
      cause: error,
    });
  } finally {
    clearTimeout(stallTimer);
    clearTimeout(deadlineTimer);
    for (const signal of signals) signal.removeEventListener('abort', onAbort);
    // An error page, an oversized body, a refused redirect: drop the connection instead of reading the rest.
    if (!complete) controller.abort();
  }
}

/** The folder a model.json URL sits in: weights must come from below it, on the same origin. */
function folderOf(url: URL): string {
  return url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
}

function isBelow(url: URL, base: URL): boolean {
  return url.origin === base.origin && url.pathname.startsWith(folderOf(base));
}

/**
 * Fetches `model.json` (from `url`, or `url/model.json` when it ends in `/`) and its weight shards, which are
 * resolved relative to the `model.json` URL, as tfjs does, but only where they stay on the same origin below
 * the `model.json`'s folder, and never more bytes than the manifest declares.
 */
export async function fetchModelFiles(
  url: string,
  transfer: TransferOptions = {},
): Promise<{ files: ModelFiles; modelJsonUrl: string; weightsUrl: string }> {
  const modelJsonUrl = url.endsWith('/') ? new URL(MODEL_JSON, url).href : url;
  const { bytes: json, response: jsonResponse } = await download(
    modelJsonUrl,
    MODEL_JSON,
    MAX_MODEL_JSON_BYTES,
    transfer,
  ).catch((error: unknown) => {
    if (!(error instanceof TooLong)) throw error;
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${modelJsonUrl} is longer than the ${MAX_MODEL_JSON_BYTES} bytes read for a ${MODEL_JSON}; it is not a model.json.`,
      { file: modelJsonUrl },
    );
  });
  const text = new TextDecoder().decode(json);
  const modelJson = parseModelJson(text, modelJsonUrl);
  const plan = planShards(modelJson, modelJsonUrl);
  // A redirect may have moved model.json: its weights are resolved from, and confined to, where it really was.
  const base = new URL(jsonResponse.url || modelJsonUrl);
  const shardUrls = plan.shards.map((segments) => new URL(segments.join('/'), base));
  for (const shard of shardUrls) {
    if (!isBelow(shard, base)) {
      throw new MnistModelError(
        'CORRUPT_FILE',
        `${modelJsonUrl} lists weights at ${shard.href}, outside its own folder on ${base.origin}; refusing to ` +
          'fetch them. Serve the weights files next to model.json.',
        { file: modelJsonUrl },
      );
    }
  }
  const weightsName = shardUrls.length === 1 ? (shardUrls[0] as URL).href : `the weights of ${modelJsonUrl}`;
  const weights = new Uint8Array(plan.totalBytes);
  let offset = 0;
  // One shard after another, so that the bytes left for each are known and nothing past them is downloaded.
  for (const shard of shardUrls) {
    // Not followed: a redirect could lead anywhere, and the request would already have been made.
    const { bytes } = await download(
      shard.href,
      'weights',
      plan.totalBytes - offset,
      { ...transfer, init: { ...transfer.init, redirect: 'manual' } },
      (response) => {
        if (response.url !== '' && !isBelow(new URL(response.url), base)) {
          throw new MnistModelError(
            'CORRUPT_FILE',
            `The weights at ${shard.href} redirect to ${response.url}, outside the model's folder; refusing them.`,
            { file: shard.href },
          );
        }
      },
    ).catch((error: unknown) => {
      if (!(error instanceof TooLong)) throw error;
      throw sizeMismatch(modelJsonUrl, weightsName, 'more bytes', plan.totalBytes);
    });
    weights.set(bytes, offset);
    offset += bytes.byteLength;
  }
  if (offset !== plan.totalBytes)
    throw sizeMismatch(modelJsonUrl, weightsName, `${offset} bytes`, plan.totalBytes);
  return {
    files: { modelJson, weights },
    modelJsonUrl,
    weightsUrl: weightsName,
  };
}

/** Fetches a `.keras` file, never more than {@link MAX_KERAS_FILE_BYTES}. Its content is checked by the reader. */
export async function fetchKerasFile(url: string, transfer: TransferOptions = {}): Promise<Uint8Array> {
  const { bytes } = await download(url, 'the .keras file', MAX_KERAS_FILE_BYTES, transfer).catch(
    (error: unknown) => {
      if (!(error instanceof TooLong)) throw error;
      throw new MnistModelError(
        'CORRUPT_FILE',
        `${url} is longer than the ${MAX_KERAS_FILE_BYTES} bytes read for a .keras file; an MNIST model is a few MB.`,
        { file: url },
      );
    },
  );
  return bytes;
}
