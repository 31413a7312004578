// What a model.json may make us read. Its weights manifest names the weight shards, and model files come from
// anywhere (downloads, other people, the web demo's file picker): a path in it is untrusted input. Weights are
// read only from files inside the model's own directory (or, for URLs, below the model.json's folder on the
// same origin), and only up to the byte count the manifest itself declares.

import { MnistModelError } from '../errors.js';
import { MAX_SHARDS, MAX_WEIGHT_BYTES } from './limits.js';
import { expectedWeightBytes, type ModelJson, unknownWeightSize, weightPaths } from './artifacts.js';

/**
 * Checks one weights path from a manifest and returns its segments: a relative path inside the model's
 * directory, `/`-separated, optionally starting with `./` (as `tf.io.browserDownloads` writes). Refused: anything
 * but a string, absolute paths (`/x`, `C:\x`, `\\host\x`), URLs with a scheme, `..` segments, backslashes, NUL
 * bytes, empty segments. The message quotes the path but never says anything about what it points at.
 */
export function shardSegments(shard: unknown, modelJsonName: string): string[] {
  const refuse = (why: string): never => {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${modelJsonName} lists the weights path ${JSON.stringify(shard)}, which ${why}. Weights must be files ` +
        `inside the model's own directory (e.g. "weights.bin"); nothing else is read. Save the model again ` +
        'with saveModel(), or fix the "paths" of its weightsManifest.',
      { file: modelJsonName },
    );
  };
  if (typeof shard !== 'string') return refuse('is not a string');
  if (shard.length === 0 || shard.length > 1024) return refuse('is empty or too long');
  if (shard.includes('\0')) return refuse('contains a NUL byte');
  if (shard.includes('\\')) return refuse('contains a backslash');
  if (shard.startsWith('/')) return refuse('is an absolute path');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(shard)) return refuse('is an absolute URL or drive path');
  const segments = shard.split('/');
  while (segments[0] === '.' && segments.length > 1) segments.shift();
  for (const segment of segments) {
    if (segment === '..') return refuse('climbs out of the model directory');
    if (segment === '' || segment === '.') return refuse('has an empty or "." segment');
  }
  return segments;
}

/** The manifest's shard paths, each checked by {@link shardSegments}, and the total bytes they must hold. */
export interface ShardPlan {
  /** Each shard's checked segments, in manifest order. */
  shards: string[][];
  /** The byte count the manifest's weight specs add up to: exactly what the shards together must hold. */
  totalBytes: number;
}

/** Plans what to read for a model.json: checked shard paths and the exact total byte count, both bounded. */
export function planShards(modelJson: ModelJson, modelJsonName: string): ShardPlan {
  const paths = weightPaths(modelJson);
  if (paths.length > MAX_SHARDS) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${modelJsonName} lists ${paths.length} weight files; at most ${MAX_SHARDS} are read.`,
      { file: modelJsonName },
    );
  }
  const shards = paths.map((shard) => shardSegments(shard, modelJsonName));
  let totalBytes: number;
  try {
    totalBytes = expectedWeightBytes(modelJson);
  } catch (error) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${modelJsonName} has a weights manifest whose specs cannot be read (${(error as Error).message}).`,
      { file: modelJsonName, cause: error },
    );
  }
  if (!Number.isSafeInteger(totalBytes) || totalBytes < 0) throw unknownWeightSize(modelJsonName);
  if (totalBytes > MAX_WEIGHT_BYTES) {
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${modelJsonName} declares ${totalBytes} bytes of weights, more than the ${MAX_WEIGHT_BYTES} this ` +
        'loader reads. An MNIST classifier needs a few MB; this file is damaged or not an MNIST model.',
      { file: modelJsonName },
    );
  }
  return { shards, totalBytes };
}

/**
 * The error for shard files holding more or fewer bytes than the manifest declares. It states the total found
 * only for files already known to be inside the model directory.
 */
export function sizeMismatch(
  modelJsonName: string,
  weightsName: string,
  found: string,
  totalBytes: number,
): MnistModelError {
  return new MnistModelError(
    'CORRUPT_FILE',
    `${weightsName} holds ${found} but ${modelJsonName} describes weights of ${totalBytes} bytes. The weights ` +
      'are truncated or belong to another model: save the model again, or download model.json and its ' +
      'weights together again.',
    { file: weightsName },
  );
}
