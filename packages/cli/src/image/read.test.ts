import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDecodeError } from './decode';
import { readImageFile } from './read';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-read-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('readImageFile', () => {
  it('reads a regular file exactly', async () => {
    const file = join(scratch, 'digit.pgm');
    const bytes = Buffer.concat([Buffer.from('P5 2 2 255\n'), Buffer.from([0, 64, 128, 255])]);
    await writeFile(file, bytes);
    expect(await readImageFile(file)).toEqual(new Uint8Array(bytes));
    // At the cap is still fine.
    expect((await readImageFile(file, bytes.length)).length).toBe(bytes.length);
  });
  it('refuses a file one byte over the cap, saying both sizes', async () => {
    const file = join(scratch, 'big.png');
    await writeFile(file, Buffer.alloc(1025));
    await expect(readImageFile(file, 1024)).rejects.toThrow(
      new ImageDecodeError(
        `${file}: 1,025 bytes, more than the 1,024 bytes an image file may have; scale it down or save it as PNG`,
      ),
    );
  });
  it('refuses a named pipe without waiting for a writer', async () => {
    // Nobody ever opens it for writing: a blocking open or read would hang here until the test times out.
    const fifo = join(scratch, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    await expect(readImageFile(fifo)).rejects.toThrow(
      new ImageDecodeError(
        `${fifo}: not a regular file (a named pipe); save the image to a file and pass that`,
      ),
    );
  });
  it('refuses a device without reading from it', async () => {
    // /dev/zero never ends: reading it would fill memory.
    await expect(readImageFile('/dev/zero')).rejects.toThrow(
      new ImageDecodeError(
        '/dev/zero: not a regular file (a character device); save the image to a file and pass that',
      ),
    );
  });
  it('refuses a directory and says to pass the images in it', async () => {
    const dir = join(scratch, 'digits');
    await mkdir(dir);
    await expect(readImageFile(`${dir}/`)).rejects.toThrow(
      new ImageDecodeError(`${dir}/: is a directory; pass the image files in it (e.g. ${dir}/*.png)`),
    );
  });
  it('says when a file does not exist or cannot be opened', async () => {
    const missing = join(scratch, 'missing.png');
    await expect(readImageFile(missing)).rejects.toThrow(new ImageDecodeError(`${missing}: no such file`));
    const under = join(scratch, 'digit.pgm', 'x.png');
    await expect(readImageFile(under)).rejects.toThrow(
      new ImageDecodeError(`${under}: cannot read (ENOTDIR)`),
    );
  });
});
