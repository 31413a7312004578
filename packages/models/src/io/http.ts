import { MnistModelError } from '../errors.js';
import { MODEL_JSON, type ModelFiles, parseModelJson, weightPaths } from './artifacts.js';

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
    throw new MnistModelError(
      response.status === 404 ? 'NOT_FOUND' : 'FETCH_FAILED',
      `Fetching ${what} from ${url} failed with HTTP ${response.status} ${response.statusText}. ` +
        `Check that ${MODEL_JSON} and its weights file(s) are served side by side at that address.`,
      { file: url },
    );
  }
  return response;
}

/**
 * Fetches `model.json` (from `url`, or `url/model.json` when it ends in `/`) and its weight shards, which are
 * resolved relative to the `model.json` URL, as tfjs does.
 */
export async function fetchModelFiles(
  url: string,
  init?: RequestInit,
): Promise<{ files: ModelFiles; modelJsonUrl: string; weightsUrl: string }> {
  const modelJsonUrl = url.endsWith('/') ? new URL(MODEL_JSON, url).href : url;
  const text = await (await fetchOrFail(modelJsonUrl, MODEL_JSON, init)).text();
  const modelJson = parseModelJson(text, modelJsonUrl);
  const shardUrls = weightPaths(modelJson).map((shard) => new URL(shard, modelJsonUrl).href);
  const buffers = await Promise.all(
    shardUrls.map(
      async (shard) => new Uint8Array(await (await fetchOrFail(shard, 'weights', init)).arrayBuffer()),
    ),
  );
  const weights = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const buffer of buffers) {
    weights.set(buffer, offset);
    offset += buffer.byteLength;
  }
  return {
    files: { modelJson, weights },
    modelJsonUrl,
    weightsUrl: shardUrls.length === 1 ? (shardUrls[0] as string) : `the weights of ${modelJsonUrl}`,
  };
}
