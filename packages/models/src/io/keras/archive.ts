// The zip container of a `.keras` file, read and written with fflate. A `.keras` file is untrusted input: the
// archive's central directory is read first without inflating anything (entry count, names, declared sizes, all
// bounded), then only the three entries Keras writes are inflated, 16 KiB of compressed data at a time, each into
// a buffer of exactly its declared size; an entry that inflates to more (a zip bomb that lies about its size) or
// to less is refused at that point. No entry name is ever used as a path.

import { Unzip, UnzipInflate, unzipSync, zipSync } from 'fflate';
import { MnistModelError } from '../../errors.js';
import {
  MAX_KERAS_ENTRIES,
  MAX_KERAS_METADATA_BYTES,
  MAX_KERAS_WEIGHTS_FILE_BYTES,
  MAX_MODEL_JSON_BYTES,
} from '../limits.js';

/** Keras's entry names (keras/src/saving/saving_lib.py). */
export const CONFIG_JSON = 'config.json';
export const METADATA_JSON = 'metadata.json';
export const WEIGHTS_H5 = 'model.weights.h5';

/** The entries of a `.keras` archive this package reads, with the most bytes each may inflate to. */
const ENTRY_LIMITS: Record<string, number> = {
  [CONFIG_JSON]: MAX_MODEL_JSON_BYTES,
  [METADATA_JSON]: MAX_KERAS_METADATA_BYTES,
  [WEIGHTS_H5]: MAX_KERAS_WEIGHTS_FILE_BYTES,
};

/** Compressed bytes handed to the inflater at once: bounds what one step can produce (deflate: ≤ 1032×). */
const CHUNK = 16 * 1024;

/** The three entries of a `.keras` file, inflated. */
export interface KerasEntries {
  config: Uint8Array;
  metadata: Uint8Array;
  weights: Uint8Array;
}

class Refusal extends Error {}

/** What the central directory declares for an entry. */
interface Declared {
  originalSize: number;
  compression: number;
}

function readCentralDirectory(bytes: Uint8Array): Map<string, Declared> {
  const declared = new Map<string, Declared>();
  let count = 0;
  unzipSync(bytes, {
    filter: (entry) => {
      count += 1;
      if (count > MAX_KERAS_ENTRIES) {
        throw new Refusal(`it lists more than ${MAX_KERAS_ENTRIES} entries; a .keras file has three`);
      }
      const known = Object.hasOwn(ENTRY_LIMITS, entry.name);
      const climbs = /(^|\/)\.\.(\/|$)|^\/|\\|\0/.test(entry.name);
      if ((!known && !entry.name.startsWith('assets/')) || climbs) {
        throw new Refusal(
          `it holds the entry ${JSON.stringify(entry.name.slice(0, 200))}, which a .keras file does not have`,
        );
      }
      if (declared.has(entry.name)) throw new Refusal(`it holds ${entry.name} twice`);
      if (entry.compression !== 0 && entry.compression !== 8) {
        throw new Refusal(
          `${entry.name} uses compression method ${entry.compression}; only stored and deflate are read`,
        );
      }
      const limit = ENTRY_LIMITS[entry.name];
      if (limit !== undefined && !(entry.originalSize <= limit)) {
        throw new Refusal(
          `${entry.name} declares ${entry.originalSize} bytes, more than the ${limit} read for it`,
        );
      }
      declared.set(entry.name, { originalSize: entry.originalSize, compression: entry.compression });
      return false; // nothing is inflated here
    },
  });
  for (const name of [CONFIG_JSON, METADATA_JSON, WEIGHTS_H5]) {
    if (!declared.has(name)) throw new Refusal(`it has no ${name}`);
  }
  return declared;
}

function inflateEntries(bytes: Uint8Array, declared: Map<string, Declared>): Map<string, Uint8Array> {
  const done = new Map<string, Uint8Array>();
  const seen = new Set<string>();
  let failure: Refusal | undefined;
  const unzip = new Unzip((entry) => {
    const limit = Object.hasOwn(ENTRY_LIMITS, entry.name)
      ? declared.get(entry.name)?.originalSize
      : undefined;
    if (limit === undefined) return; // assets/: not read
    if (seen.has(entry.name)) {
      failure ??= new Refusal(`it holds ${entry.name} twice`);
      return;
    }
    seen.add(entry.name);
    const out = new Uint8Array(limit);
    let filled = 0;
    entry.ondata = (error, chunk, final) => {
      if (failure !== undefined) return;
      if (error !== null) {
        failure = new Refusal(`${entry.name} does not inflate (${error.message})`);
        return;
      }
      if (filled + chunk.byteLength > limit) {
        failure = new Refusal(
          `${entry.name} inflates to more than the ${limit} bytes it declares (a zip bomb)`,
        );
        entry.terminate();
        return;
      }
      out.set(chunk, filled);
      filled += chunk.byteLength;
      if (final) {
        if (filled !== limit)
          failure = new Refusal(`${entry.name} holds ${filled} of the ${limit} bytes it declares`);
        else done.set(entry.name, out);
      }
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  for (let offset = 0; offset < bytes.byteLength && failure === undefined; offset += CHUNK) {
    const end = Math.min(offset + CHUNK, bytes.byteLength);
    unzip.push(bytes.subarray(offset, end), end === bytes.byteLength);
  }
  if (failure !== undefined) throw failure;
  for (const name of [CONFIG_JSON, METADATA_JSON, WEIGHTS_H5]) {
    if (!done.has(name)) throw new Refusal(`${name} ends before its declared size (the file is truncated)`);
  }
  return done;
}

/**
 * Reads the three entries of a `.keras` archive, checking its structure and every size before and while
 * inflating. Throws `CORRUPT_FILE` naming `file` for anything that is not a whole `.keras` zip archive.
 */
export function readKerasArchive(bytes: Uint8Array, file: string): KerasEntries {
  try {
    const entries = inflateEntries(bytes, readCentralDirectory(bytes));
    return {
      config: entries.get(CONFIG_JSON) as Uint8Array,
      metadata: entries.get(METADATA_JSON) as Uint8Array,
      weights: entries.get(WEIGHTS_H5) as Uint8Array,
    };
  } catch (error) {
    const why =
      error instanceof Refusal
        ? error.message
        : `it is not a zip archive, or a truncated one (${(error as Error).message})`;
    throw new MnistModelError(
      'CORRUPT_FILE',
      `${file} is not a readable .keras file: ${why}. A .keras file is the zip archive Keras's model.save("x.keras") ` +
        'writes; save the model again or download it again.',
      { file, cause: error },
    );
  }
}

/** Writes a `.keras` archive: the JSON entries stored as Keras stores them, the weights deflated. */
export function writeKerasArchive(entries: KerasEntries): Uint8Array {
  return zipSync({
    [METADATA_JSON]: [entries.metadata, { level: 0 }],
    [CONFIG_JSON]: [entries.config, { level: 0 }],
    [WEIGHTS_H5]: [entries.weights, { level: 6 }],
  });
}
