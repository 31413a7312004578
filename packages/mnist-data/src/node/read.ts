import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';
import { type DecodedFile, decodeFile } from '../assemble.js';
import type { DatasetInfo, FileRole } from '../datasets.js';
import { MnistDataError } from '../errors.js';
import { gzipDeclaredSize, isGzip } from '../gzip.js';

const gunzipAsync = promisify(gunzipCallback);

// One output chunk as large as the declared size means zlib fills a single buffer and never concatenates
// (no second copy of 47 MB). The cap keeps a lying or damaged trailer from allocating gigabytes.
const MAX_SINGLE_CHUNK = 256 * 1024 * 1024;
const MAX_OUTPUT = 1024 * 1024 * 1024;

/**
 * Decompresses gzip bytes on libuv's thread pool (so several files decompress in parallel).
 *
 * @throws {@link MnistDataError} `TRUNCATED` if the stream ends early, `BAD_GZIP` if it is otherwise damaged.
 */
export async function gunzipNode(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  const declared = gzipDeclaredSize(bytes) ?? 0;
  const chunkSize = Math.min(Math.max(declared + 64, 64 * 1024), MAX_SINGLE_CHUNK);
  try {
    return await gunzipAsync(bytes, { chunkSize, maxOutputLength: MAX_OUTPUT });
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === 'Z_BUF_ERROR') {
      throw new MnistDataError(
        'TRUNCATED',
        `${name} is truncated: its gzip stream ends early. The file is incomplete: delete it and load again.`,
        { file: name, cause },
      );
    }
    throw new MnistDataError(
      'BAD_GZIP',
      `${name} starts like a gzip file but cannot be decompressed (${(cause as Error).message}). Replace it with a fresh copy.`,
      { file: name, cause },
    );
  }
}

/** SHA-256 (hex) with Node's native implementation, in one pass over the bytes. */
export function sha256Node(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Decompresses (if gzip), hashes and parses bytes of one data set file. */
export async function decodeBytesNode(
  info: DatasetInfo,
  role: FileRole,
  bytes: Uint8Array,
  displayName: string,
): Promise<DecodedFile> {
  const raw = isGzip(bytes) ? await gunzipNode(bytes, displayName) : bytes;
  return decodeFile(info, role, raw, sha256Node(raw), displayName);
}

/** Reads, decompresses (if gzip), hashes and parses one data set file. The gzip bytes are dropped once inflated. */
export async function readFileNode(info: DatasetInfo, role: FileRole, path: string): Promise<DecodedFile> {
  return decodeBytesNode(info, role, await readFile(path), path);
}
