import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';
import { type DecodedFile, decodeFile } from '../assemble.js';
import { contentBytes, type DatasetInfo, type FileRole, maxFileBytes } from '../datasets.js';
import { MnistDataError } from '../errors.js';
import { DEFAULT_MAX_INFLATED_BYTES, inflateBufferSize, isGzip } from '../gzip.js';
import { describeKind } from './locations.js';

const gunzipAsync = promisify(gunzipCallback);

/**
 * Decompresses gzip bytes on libuv's thread pool (so several files decompress in parallel), producing at most
 * `maxBytes` bytes.
 *
 * @throws {@link MnistDataError} `TRUNCATED` if the stream ends early, `TOO_LARGE` past `maxBytes`, `BAD_GZIP` if it
 * is otherwise damaged.
 */
export async function gunzipNode(
  bytes: Uint8Array,
  name: string,
  maxBytes = DEFAULT_MAX_INFLATED_BYTES,
): Promise<Uint8Array> {
  // One output chunk as large as the declared size means zlib fills a single buffer and never concatenates (no
  // second copy of 47 MB); the declared size is only trusted up to what these bytes can inflate to.
  const chunkSize = Math.max(inflateBufferSize(bytes, maxBytes) + 64, 64 * 1024);
  try {
    return await gunzipAsync(bytes, { chunkSize, maxOutputLength: maxBytes });
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new MnistDataError(
        'TOO_LARGE',
        `${name} inflates to more than ${maxBytes} bytes, more than the file it should be. Replace it with a fresh copy.`,
        { file: name, cause },
      );
    }
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

/** Decompresses (if gzip, never past the content's known size), hashes and parses bytes of one data set file. */
export async function decodeBytesNode(
  info: DatasetInfo,
  role: FileRole,
  bytes: Uint8Array,
  displayName: string,
): Promise<DecodedFile> {
  const raw = isGzip(bytes) ? await gunzipNode(bytes, displayName, contentBytes(info, role)) : bytes;
  return decodeFile(info, role, raw, sha256Node(raw), displayName);
}

/** Why a file could not be read, as an `UNREADABLE` error naming it (wraps file-system errors). */
export function unreadable(path: string, cause: unknown): MnistDataError {
  const code = (cause as { code?: string }).code;
  const detail = code ? `${code}: ${(cause as Error).message}` : String(cause);
  return new MnistDataError(
    'UNREADABLE',
    `${path} cannot be read (${detail}). Check its permissions, or delete it so a good copy is found or downloaded.`,
    { file: path, cause },
  );
}

/**
 * Reads one data set file: a regular file no larger than any genuine copy can be (checked before reading, so a huge
 * or endless file costs nothing), then decompresses (if gzip), hashes and parses it. The gzip bytes are dropped
 * once inflated.
 *
 * @throws {@link MnistDataError} `UNREADABLE` for a file that is not a regular file or cannot be read, `TOO_LARGE`,
 * or a decoding code.
 */
export async function readFileNode(info: DatasetInfo, role: FileRole, path: string): Promise<DecodedFile> {
  const bytes = await readBounded(path, maxFileBytes(info, role));
  return decodeBytesNode(info, role, bytes, path);
}

async function readBounded(path: string, maxBytes: number): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // Non-blocking, so a named pipe in the data's place cannot hang the open (it is refused below).
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    throw unreadable(path, cause);
  }
  try {
    // Checked on the open file, not the path: what is read is what was checked.
    const stats = await handle.stat().catch((cause) => {
      throw unreadable(path, cause);
    });
    if (!stats.isFile()) {
      throw new MnistDataError(
        'UNREADABLE',
        `${path} is not a regular file (${describeKind(stats)}). Remove it or put the data file there.`,
        { file: path },
      );
    }
    if (stats.size > maxBytes) {
      throw new MnistDataError(
        'TOO_LARGE',
        `${path} is ${stats.size} bytes, more than the ${maxBytes} bytes any genuine copy can take. ` +
          'It is not the right file: delete it and load again.',
        { file: path },
      );
    }
    const bytes = new Uint8Array(stats.size);
    let used = 0;
    while (used < bytes.length) {
      const { bytesRead } = await handle.read(bytes, used, bytes.length - used, used).catch((cause) => {
        throw unreadable(path, cause);
      });
      if (bytesRead === 0) break;
      used += bytesRead;
    }
    return used === bytes.length ? bytes : bytes.subarray(0, used);
  } finally {
    await handle.close();
  }
}
