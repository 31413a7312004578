import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { formatCount } from '../render/format';
import { ImageDecodeError } from './decode';
import { MAX_IMAGE_FILE_BYTES } from './limits';

/**
 * Reads an image file given on the command line, safely: only a regular file, only up to `maxBytes`. The file is
 * opened non-blocking (a named pipe cannot hang the open) and checked on the open handle (what is read is what
 * was checked); pipes, devices, sockets and directories are refused without reading from them, and a file larger
 * than the cap is refused before reading. Then exactly the size found is read, never more.
 * @param maxBytes the cap (a parameter so that tests can lower it)
 * @throws {@link ImageDecodeError} naming the file and what to do
 */
export async function readImageFile(file: string, maxBytes = MAX_IMAGE_FILE_BYTES): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw cannotRead(file, error);
  }
  try {
    const stats = await handle.stat().catch((error: unknown) => {
      throw cannotRead(file, error);
    });
    if (stats.isDirectory()) {
      throw new ImageDecodeError(
        `${file}: is a directory; pass the image files in it (e.g. ${file.replace(/\/+$/, '')}/*.png)`,
      );
    }
    if (!stats.isFile()) {
      throw new ImageDecodeError(
        `${file}: not a regular file (${describeKind(stats)}); save the image to a file and pass that`,
      );
    }
    if (stats.size > maxBytes) {
      throw new ImageDecodeError(
        `${file}: ${formatCount(stats.size)} bytes, more than the ${formatCount(maxBytes)} bytes an image file may ` +
          'have; scale it down or save it as PNG',
      );
    }
    const bytes = new Uint8Array(stats.size);
    let used = 0;
    while (used < bytes.length) {
      const { bytesRead } = await handle
        .read(bytes, used, bytes.length - used, used)
        .catch((error: unknown) => {
          throw cannotRead(file, error);
        });
      if (bytesRead === 0) break; // shrank since fstat: what is there is all there is
      used += bytesRead;
    }
    return bytes.subarray(0, used);
  } finally {
    await handle.close();
  }
}

function cannotRead(file: string, error: unknown): ImageDecodeError {
  const { code, message } = error as NodeJS.ErrnoException;
  return new ImageDecodeError(
    code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? message})`,
  );
}

function describeKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}
