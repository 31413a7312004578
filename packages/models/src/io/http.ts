import { MnistModelError } from '../errors.js';
import { MODEL_JSON, type ModelFiles, parseModelJson } from './artifacts.js';
import { planShards, sizeMismatch } from './confine.js';
import { MAX_KERAS_FILE_BYTES, MAX_MODEL_JSON_BYTES } from './limits.js';

async function fetchOrFail(url: string, what: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new MnistModelError(
      'FETCH_FAILED',
      `Could not fetch ${what} from ${url}: ${(error as Error).message}. Check the URL and the network.`,
      { file: url, cause: error },
    );
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
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
  return response;
}

/** Thrown when a body is longer than what may be read of it; the rest was not downloaded. */
class TooLong extends Error {}

/**
 * Reads a response body into memory, never more than `limit` bytes: a declared `Content-Length` over the limit
 * is refused before reading, and the stream is cancelled as soon as it goes past.
 */
async function readBounded(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new TooLong();
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLong();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
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
  init?: RequestInit,
): Promise<{ files: ModelFiles; modelJsonUrl: string; weightsUrl: string }> {
  const modelJsonUrl = url.endsWith('/') ? new URL(MODEL_JSON, url).href : url;
  const jsonResponse = await fetchOrFail(modelJsonUrl, MODEL_JSON, init);
  const text = new TextDecoder().decode(
    await readBounded(jsonResponse, MAX_MODEL_JSON_BYTES).catch((error: unknown) => {
      if (!(error instanceof TooLong)) throw error;
      throw new MnistModelError(
        'CORRUPT_FILE',
        `${modelJsonUrl} is longer than the ${MAX_MODEL_JSON_BYTES} bytes read for a ${MODEL_JSON}; it is not a model.json.`,
        { file: modelJsonUrl },
      );
    }),
  );
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
    const response = await fetchOrFail(shard.href, 'weights', { ...init, redirect: 'manual' });
    if (response.url !== '' && !isBelow(new URL(response.url), base)) {
      await response.body?.cancel().catch(() => {});
      throw new MnistModelError(
        'CORRUPT_FILE',
        `The weights at ${shard.href} redirect to ${response.url}, outside the model's folder; refusing them.`,
        { file: shard.href },
      );
    }
    const bytes = await readBounded(response, plan.totalBytes - offset).catch((error: unknown) => {
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
export async function fetchKerasFile(url: string, init?: RequestInit): Promise<Uint8Array> {
  const response = await fetchOrFail(url, 'the .keras file', init);
  return readBounded(response, MAX_KERAS_FILE_BYTES).catch((error: unknown) => {
    if (!(error instanceof TooLong)) throw error;
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${url} is longer than the ${MAX_KERAS_FILE_BYTES} bytes read for a .keras file; an MNIST model is a few MB.`,
      { file: url },
    );
  });
}
