import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATASETS,
  decodeMnistFiles,
  encodeIdx,
  FILE_ROLES,
  type FileRole,
  loadMnist,
  MnistDataError,
  type MnistDataErrorCode,
  MnistSplit,
  parseIdx,
  seededRandom,
} from '../src/node.js';
import { caught, mnistGzDir, tempDir } from './helpers.js';

const LABELS = encodeIdx({ kind: 'labels', count: 3, labels: Uint8Array.of(1, 2, 3) });
const IMAGES = encodeIdx({
  kind: 'images',
  count: 2,
  rows: 2,
  cols: 3,
  pixels: Uint8Array.from({ length: 12 }, (_, i) => i),
});

async function codeOf(fn: () => unknown): Promise<MnistDataErrorCode> {
  const error = await caught(fn);
  expect(error).toBeInstanceOf(MnistDataError);
  return (error as MnistDataError).code;
}

describe('parseIdx', () => {
  it('parses images and labels as views with their dimensions', () => {
    const labels = parseIdx(LABELS);
    expect(labels).toMatchObject({ kind: 'labels', count: 3 });
    expect(Array.from(labels.kind === 'labels' ? labels.labels : [])).toEqual([1, 2, 3]);
    const images = parseIdx(IMAGES);
    expect(images).toMatchObject({ kind: 'images', count: 2, rows: 2, cols: 3 });
    if (images.kind !== 'images') throw new Error('expected images');
    expect(images.pixels[11]).toBe(11);
    expect(images.pixels.buffer).toBe(IMAGES.buffer);
  });

  it('rejects a wrong magic number with BAD_MAGIC and says what it read', async () => {
    const bytes = LABELS.slice();
    bytes[3] = 0x99;
    const e = (await caught(() => parseIdx(bytes, 'labels.idx'))) as MnistDataError;
    expect(e.code).toBe('BAD_MAGIC');
    expect(e.message).toContain('labels.idx');
    expect(e.message).toContain('2049');
  });

  it('rejects truncated files: inside the magic, the header and the body', async () => {
    expect(await codeOf(() => parseIdx(LABELS.subarray(0, 2)))).toBe('TRUNCATED');
    expect(await codeOf(() => parseIdx(IMAGES.subarray(0, 10)))).toBe('TRUNCATED');
    expect(await codeOf(() => parseIdx(IMAGES.subarray(0, IMAGES.length - 1)))).toBe('TRUNCATED');
    expect(await codeOf(() => parseIdx(new Uint8Array(0)))).toBe('TRUNCATED');
  });

  it('rejects what is not bytes with BAD_INPUT, and labels outside 0–9 with BAD_LABEL naming the example', async () => {
    for (const notBytes of ['abc', null, [0, 0, 8, 1], new Uint16Array(8)])
      expect(await codeOf(() => parseIdx(notBytes as unknown as Uint8Array))).toBe('BAD_INPUT');
    for (const label of [10, 255]) {
      const bytes = LABELS.slice();
      bytes[9] = label;
      const e = (await caught(() => parseIdx(bytes, 'labels.idx'))) as MnistDataError;
      expect(e.code).toBe('BAD_LABEL');
      expect(e.message).toContain(`labels.idx gives example 1 the label ${label}`);
    }
    const nine = LABELS.slice();
    nine[10] = 9;
    expect(parseIdx(nine)).toMatchObject({ kind: 'labels', count: 3 });
  });

  it('rejects extra bytes (BAD_LENGTH) and empty image sizes (BAD_SHAPE)', async () => {
    const longer = new Uint8Array(LABELS.length + 1);
    longer.set(LABELS);
    expect(await codeOf(() => parseIdx(longer))).toBe('BAD_LENGTH');
    const flat = IMAGES.slice(0, 16);
    new DataView(flat.buffer).setUint32(8, 0, false);
    expect(await codeOf(() => parseIdx(flat))).toBe('BAD_SHAPE');
  });

  it('a header announcing 4 billion images fails fast with TRUNCATED (no huge allocation)', async () => {
    const huge = IMAGES.slice(0, 16);
    new DataView(huge.buffer).setUint32(4, 0xffffffff, false);
    expect(await codeOf(() => parseIdx(huge))).toBe('TRUNCATED');
  });

  it('random bytes (seeded) always give a typed error, never a crash', async () => {
    const random = seededRandom(2024);
    const codes = new Set<MnistDataErrorCode>();
    for (let trial = 0; trial < 500; trial++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      // Half the time, a valid magic with random dimensions and body.
      if (trial % 2 === 0 && bytes.length >= 4) bytes.set([0, 0, 8, trial % 4 === 0 ? 3 : 1]);
      codes.add(await codeOf(() => parseIdx(bytes)));
    }
    expect([...codes].every((c) => ['BAD_MAGIC', 'TRUNCATED', 'BAD_LENGTH', 'BAD_SHAPE'].includes(c))).toBe(
      true,
    );
    expect(codes.has('BAD_MAGIC')).toBe(true);
    expect(codes.has('TRUNCATED')).toBe(true);
  });

  it('round-trips through encodeIdx', () => {
    const again = parseIdx(encodeIdx(parseIdx(IMAGES)));
    expect(again).toEqual(parseIdx(IMAGES));
  });
});

describe('MnistSplit refuses images and labels of different lengths', () => {
  it('COUNT_MISMATCH', async () => {
    expect(await codeOf(() => new MnistSplit(new Uint8Array(784 * 3), new Uint8Array(2)))).toBe(
      'COUNT_MISMATCH',
    );
    expect(await codeOf(() => new MnistSplit(new Uint8Array(785), new Uint8Array(1)))).toBe('COUNT_MISMATCH');
  });
});

describe('damaged real files in a directory', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let n = 0;
  beforeAll(async () => {
    ({ dir: root, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  /** A copy of the real .gz files where `change` may replace one file's bytes. */
  async function dirWith(change: (role: FileRole, gz: Buffer) => Uint8Array | undefined): Promise<string> {
    const dir = join(root, `case${n++}`);
    await mkdir(dir);
    for (const role of FILE_ROLES) {
      const name = `${DATASETS.mnist.files[role]}.gz`;
      const gz = await readFile(join(mnistGzDir(), name));
      const replaced = change(role, gz);
      if (replaced) await writeFile(join(dir, name), replaced);
      else await copyFile(join(mnistGzDir(), name), join(dir, name));
    }
    return dir;
  }

  it('a truncated .gz gives TRUNCATED naming the file', async () => {
    const dir = await dirWith((role, gz) =>
      role === 'testImages' ? gz.subarray(0, gz.length / 2) : undefined,
    );
    const e = (await caught(() => loadMnist({ dir, sources: ['dir'] }))) as MnistDataError;
    expect(e.code).toBe('TRUNCATED');
    expect(e.file).toBe(join(dir, 't10k-images-idx3-ubyte.gz'));
  });

  it('a valid gzip of a truncated IDX file gives TRUNCATED', async () => {
    const dir = await dirWith((role) =>
      role === 'testLabels' ? gzipSync(LABELS.subarray(0, LABELS.length - 1)) : undefined,
    );
    expect(await codeOf(() => loadMnist({ dir, sources: ['dir'] }))).toBe('TRUNCATED');
  });

  it('a valid gzip of an IDX file with extra bytes gives BAD_LENGTH', async () => {
    const padded = new Uint8Array(LABELS.length + 10);
    padded.set(LABELS);
    const dir = await dirWith((role) => (role === 'testLabels' ? gzipSync(padded) : undefined));
    expect(await codeOf(() => loadMnist({ dir, sources: ['dir'] }))).toBe('BAD_LENGTH');
  });

  it('a wrong magic number (images where labels belong) gives BAD_MAGIC', async () => {
    const images = gzipSync(IMAGES);
    const dir = await dirWith((role) => (role === 'trainLabels' ? images : undefined));
    expect(await codeOf(() => loadMnist({ dir, sources: ['dir'] }))).toBe('BAD_MAGIC');
  });

  it('test labels under the training labels name give COUNT_MISMATCH', async () => {
    const dir = await dirWith(() => undefined);
    await copyFile(join(dir, 't10k-labels-idx1-ubyte.gz'), join(dir, 'train-labels-idx1-ubyte.gz'));
    const e = (await caught(() => loadMnist({ dir, sources: ['dir'] }))) as MnistDataError;
    expect(e.code).toBe('COUNT_MISMATCH');
    expect(e.message).toContain('60000 images');
    expect(e.message).toContain('10000 labels');
  });

  it('random bytes after a gzip header give BAD_GZIP or TRUNCATED', async () => {
    const random = seededRandom(7);
    const junk = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
    junk.set([0x1f, 0x8b, 8, 0]);
    const dir = await dirWith((role) => (role === 'trainLabels' ? junk : undefined));
    expect(['BAD_GZIP', 'TRUNCATED']).toContain(await codeOf(() => loadMnist({ dir, sources: ['dir'] })));
  });

  it('random bytes without a gzip header give BAD_MAGIC', async () => {
    const random = seededRandom(8);
    const junk = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
    junk[0] = 0x42;
    const dir = await dirWith((role) => (role === 'trainLabels' ? junk : undefined));
    expect(await codeOf(() => loadMnist({ dir, sources: ['dir'] }))).toBe('BAD_MAGIC');
  });

  it('the universal decoder reports damaged gzip as BAD_GZIP', async () => {
    const files = {} as Record<FileRole, Uint8Array>;
    for (const role of FILE_ROLES)
      files[role] = await readFile(join(mnistGzDir(), `${DATASETS.mnist.files[role]}.gz`));
    files.trainLabels = files.trainLabels.subarray(0, 1000);
    expect(await codeOf(() => decodeMnistFiles(files))).toBe('BAD_GZIP');
  });
});
