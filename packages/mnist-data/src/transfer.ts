// Streaming an HTTP(S) resource with progress, cancellation, a stall timeout, an overall deadline and a size cap, on
// the platform's fetch (browsers and Node >= 18). No node: imports.
import { MnistDataError } from './errors.js';
import type { ProgressEvent } from './types.js';

/** Default time without any received byte after which a transfer is abandoned. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The slowest transfer rate the default deadline allows for, in bytes per second (128 kbit/s). */
const SLOWEST_RATE = 16 * 1024;

/**
 * The default overall deadline for transferring `bytes` bytes: one minute, plus one second per 16 KiB (so a
 * 128 kbit/s line still gets there; about 11 minutes for MNIST's training images, 62 s for a labels file). A mirror
 * trickling a byte now and then never trips the stall timeout; this ends it.
 */
export function defaultDeadlineMs(bytes: number): number {
  return 60_000 + Math.ceil((bytes / SLOWEST_RATE) * 1000);
}

/** Options of {@link streamUrl}. */
export interface StreamUrlOptions {
  /** Name reported in progress events and errors. */
  file: string;
  /** The most bytes a correct answer can hold: a longer body is cut off there with `TOO_LARGE`. */
  maxBytes: number;
  signal?: AbortSignal | undefined;
  /** Stall timeout: no byte for this long ends the transfer (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number | undefined;
  /** Overall deadline for the whole transfer (default {@link defaultDeadlineMs} of `maxBytes`). */
  deadlineMs?: number | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

/** Throws `ABORTED` if the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new MnistDataError('ABORTED', 'Loading was cancelled (the AbortSignal fired).', {
      cause: signal.reason,
    });
  }
}

function tooLarge(url: string, file: string, what: string, maxBytes: number): MnistDataError {
  return new MnistDataError(
    'TOO_LARGE',
    `${url}: ${what}, more than the ${maxBytes} bytes any genuine copy of ${file} can take. ` +
      'It is not the published file: check the URL or the mirror.',
    { file },
  );
}

/**
 * Fetches `url` and hands every received chunk to `onChunk` in order (awaiting it, which gives back-pressure).
 * Fails with `TOO_LARGE` as soon as the announced or received size passes `maxBytes` (nothing more is read); with
 * `DOWNLOAD_FAILED` on an HTTP error status, a network error, a body shorter than its Content-Length, no data for
 * `timeoutMs`, or a transfer still unfinished at `deadlineMs`; with `ABORTED` if `signal` fires.
 *
 * @returns the number of bytes received and the Content-Length if any.
 */
export async function streamUrl(
  url: string,
  options: StreamUrlOptions,
  onChunk: (chunk: Uint8Array, total: number | undefined) => void | Promise<void>,
): Promise<{ bytes: number; total: number | undefined }> {
  const { file, signal, onProgress, maxBytes } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadlineMs = options.deadlineMs ?? defaultDeadlineMs(maxBytes);
  throwIfAborted(signal);
  const controller = new AbortController();
  let ended: 'stalled' | 'deadline' | undefined;
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  const armStallTimer = () => {
    if (stallTimer !== undefined) clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      ended ??= 'stalled';
      controller.abort();
    }, timeoutMs);
  };
  const deadlineTimer = setTimeout(() => {
    ended ??= 'deadline';
    controller.abort();
  }, deadlineMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  armStallTimer();
  let received = 0;
  let total: number | undefined;
  let complete = false;
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    if (!response.ok || !response.body) {
      throw new MnistDataError(
        'DOWNLOAD_FAILED',
        `${url} answered HTTP ${response.status} ${response.statusText}`.trim(),
        {
          file,
        },
      );
    }
    // With Content-Encoding the length counts encoded bytes, not the bytes fetch hands us.
    const encoding = response.headers.get('content-encoding');
    const length = response.headers.get('content-length');
    if (length !== null && (encoding === null || encoding === 'identity')) {
      const parsed = Number(length);
      if (Number.isSafeInteger(parsed) && parsed >= 0) total = parsed;
    }
    if (total !== undefined && total > maxBytes)
      throw tooLarge(url, file, `the server announces ${total} bytes`, maxBytes);
    onProgress?.({ file, bytesDone: 0, bytesTotal: total, url });
    const reader = response.body.getReader();
    for (;;) {
      armStallTimer();
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes)
        throw tooLarge(url, file, `the body goes on past ${maxBytes} bytes (cut off there)`, maxBytes);
      await onChunk(value, total);
      onProgress?.({ file, bytesDone: received, bytesTotal: total, url });
    }
    if (total !== undefined && received !== total) {
      throw new MnistDataError(
        'DOWNLOAD_FAILED',
        `${url}: the connection closed after ${received} of ${total} bytes`,
        { file },
      );
    }
    complete = true;
    return { bytes: received, total };
  } catch (error) {
    throwIfAborted(signal);
    if (error instanceof MnistDataError) throw error;
    const progress = received > 0 ? ` after ${received}${total ? ` of ${total}` : ''} bytes` : '';
    const reason =
      ended === 'stalled'
        ? `no data received for ${timeoutMs} ms`
        : ended === 'deadline'
          ? `not complete within its ${deadlineMs} ms deadline (${received}${total ? ` of ${total}` : ''} bytes received)`
          : `${describeNetworkError(error)}${progress}`;
    throw new MnistDataError('DOWNLOAD_FAILED', `${url}: ${reason}`, { file, cause: error });
  } finally {
    if (stallTimer !== undefined) clearTimeout(stallTimer);
    clearTimeout(deadlineTimer);
    signal?.removeEventListener('abort', onAbort);
    // An error page, an oversized body or a failed chunk: drop the connection instead of reading the rest.
    if (!complete) controller.abort();
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${(cause as { code?: string }).code ?? cause.message}` : '';
    return `${error.message}${detail}`;
  }
  return String(error);
}

/**
 * Fetches a whole resource into memory (preallocating when the size is known, never past `maxBytes`), with
 * progress, timeout, deadline and the size cap of {@link streamUrl}. `tee`, if given, also receives every chunk in
 * order (awaited), e.g. to write it to a file as it arrives.
 */
export async function fetchBytes(
  url: string,
  options: StreamUrlOptions,
  tee?: (chunk: Uint8Array) => Promise<void>,
): Promise<Uint8Array> {
  let buffer = new Uint8Array(0);
  let used = 0;
  await streamUrl(url, options, async (chunk, total) => {
    if (used + chunk.byteLength > buffer.length) {
      const wanted = Math.max(total ?? 0, (used + chunk.byteLength) * 2, 65536);
      const grown = new Uint8Array(Math.min(wanted, options.maxBytes));
      grown.set(buffer.subarray(0, used));
      buffer = grown;
    }
    buffer.set(chunk, used);
    used += chunk.byteLength;
    await tee?.(chunk);
  });
  return buffer.length === used ? buffer : buffer.subarray(0, used);
}
