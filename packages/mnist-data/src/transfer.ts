// Streaming an HTTP(S) resource with progress, cancellation and a stall timeout, on the platform's fetch
// (browsers and Node >= 18). No node: imports.
import { MnistDataError } from './errors.js';
import type { ProgressEvent } from './types.js';

/** Default time without any received byte after which a transfer is abandoned. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Options of {@link streamUrl}. */
export interface StreamUrlOptions {
  /** Name reported in progress events and errors. */
  file: string;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

/** Throws `ABORTED` if the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new MnistDataError('ABORTED', 'Loading was cancelled (the AbortSignal fired).', { cause: signal.reason });
  }
}

/**
 * Fetches `url` and hands every received chunk to `onChunk` in order (awaiting it, which gives back-pressure).
 * Fails with `DOWNLOAD_FAILED` on an HTTP error status, a network error, a body shorter than its Content-Length, or
 * no data for `timeoutMs`; with `ABORTED` if `signal` fires.
 *
 * @returns the number of bytes received and the Content-Length if any.
 */
export async function streamUrl(
  url: string,
  options: StreamUrlOptions,
  onChunk: (chunk: Uint8Array, total: number | undefined) => void | Promise<void>,
): Promise<{ bytes: number; total: number | undefined }> {
  const { file, signal, onProgress } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  throwIfAborted(signal);
  const controller = new AbortController();
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const armTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, timeoutMs);
  };
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  armTimer();
  let received = 0;
  let total: number | undefined;
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    if (!response.ok || !response.body) {
      // Free the connection; the body of an error page is of no use.
      await response.body?.cancel().catch(() => {});
      throw new MnistDataError('DOWNLOAD_FAILED', `${url} answered HTTP ${response.status} ${response.statusText}`.trim(), {
        file,
      });
    }
    // With Content-Encoding the length counts encoded bytes, not the bytes fetch hands us.
    const encoding = response.headers.get('content-encoding');
    const length = response.headers.get('content-length');
    if (length !== null && (encoding === null || encoding === 'identity')) {
      const parsed = Number(length);
      if (Number.isSafeInteger(parsed) && parsed >= 0) total = parsed;
    }
    onProgress?.({ file, bytesDone: 0, bytesTotal: total, url });
    const reader = response.body.getReader();
    for (;;) {
      armTimer();
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
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
    return { bytes: received, total };
  } catch (error) {
    throwIfAborted(signal);
    if (error instanceof MnistDataError) throw error;
    const reason = stalled
      ? `no data received for ${timeoutMs} ms`
      : `${describeNetworkError(error)}${received > 0 ? ` after ${received}${total ? ` of ${total}` : ''} bytes` : ''}`;
    throw new MnistDataError('DOWNLOAD_FAILED', `${url}: ${reason}`, { file, cause: error });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
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

/** Fetches a whole resource into memory (preallocating when the size is known), with progress and timeout. */
export async function fetchBytes(url: string, options: StreamUrlOptions): Promise<Uint8Array> {
  let buffer = new Uint8Array(0);
  let used = 0;
  await streamUrl(url, options, (chunk, total) => {
    if (used + chunk.byteLength > buffer.length) {
      const wanted = Math.max(total ?? 0, (used + chunk.byteLength) * 2, 65536);
      const grown = new Uint8Array(wanted);
      grown.set(buffer.subarray(0, used));
      buffer = grown;
    }
    buffer.set(chunk, used);
    used += chunk.byteLength;
  });
  return buffer.length === used ? buffer : buffer.subarray(0, used);
}
