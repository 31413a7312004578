// Fuzzing the IDX parser and the file loaders with fast-check: random and mutated files (images and labels, gzip
// and raw) give a typed MnistDataError or a correct result; never a hang, a crash or an allocation beyond the
// file's known size. Fixed work: each property runs a fixed number of cases from its own fixed seed, the same cases
// on every machine however busy (a failure names the seed and path to replay it); a single run that hangs fails.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGzip, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contentBytes,
  DATASETS,
  encodeIdx,
  type FileRole,
  gunzipWeb,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  loadMnist,
  MnistDataError,
  type MnistDataErrorCode,
  parseIdx,
} from '../src/node.js';
import { verifyFile } from '../src/assemble.js';
import { inflateBufferSize } from '../src/gzip.js';
import { decodeBytesNode, gunzipNode } from '../src/node/read.js';
import { decodeFileWeb } from '../src/web-decode.js';
import { mnistGzDir, tempDir } from './helpers.js';

/**
 * A property's cases: `numRuns` of them (fast-check's default, 100, unless said) from `seed`, whatever the machine's
 * load. A single run over `timeout` fails the property as a hang: generous, since a run takes milliseconds and a
 * real hang is endless.
 */
const runs = (seed: number, numRuns = 100) => ({ seed, numRuns, timeout: 15_000 });
/** Each test's own limit: far above what its fixed cases take on a busy 2-core machine. */
const TEST_TIMEOUT = { timeout: 120_000 };

const PARSER_CODES: MnistDataErrorCode[] = ['BAD_MAGIC', 'TRUNCATED', 'BAD_LENGTH', 'BAD_SHAPE', 'BAD_LABEL'];
const LOADER_CODES: MnistDataErrorCode[] = [
  ...PARSER_CODES,
  'BAD_GZIP',
  'TOO_LARGE',
  'CHECKSUM_MISMATCH',
  'COUNT_MISMATCH',
];

/** Runs `fn`; an error must be a MnistDataError with one of `codes` (anything else fails the property). */
async function typedOutcome<T>(
  fn: () => T | Promise<T>,
  codes: readonly MnistDataErrorCode[],
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof MnistDataError)) throw error;
    if (!codes.includes(error.code)) throw new Error(`unexpected code ${error.code}: ${error.message}`);
    return undefined;
  }
}

/** A mutation of a file: overwrite some bytes, cut it, or append to it. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('cut' as const), keep: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, change: Mutation): Uint8Array {
  if (change.kind === 'cut') return bytes.slice(0, Math.floor(bytes.length * change.keep));
  if (change.kind === 'append') {
    const out = new Uint8Array(bytes.length + change.bytes.length);
    out.set(bytes);
    out.set(change.bytes, bytes.length);
    return out;
  }
  const out = bytes.slice();
  for (const [at, value] of change.at) if (out.length > 0) out[at % out.length] = value;
  return out;
}

/** Header fields that stress the size arithmetic: small, boundary and huge values. */
const dimension = fc.oneof(
  fc.integer({ min: 0, max: 6 }),
  fc.constantFrom(28, 0x7fffffff, 0x80000000, 0xffffffff),
  fc.nat(),
);

describe('parseIdx', TEST_TIMEOUT, () => {
  it('random bytes: a typed error or a result whose sizes match the header exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => {
        let result: ReturnType<typeof parseIdx>;
        try {
          result = parseIdx(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(MnistDataError);
          expect(PARSER_CODES).toContain((error as MnistDataError).code);
          return;
        }
        const header = result.kind === 'images' ? 16 : 8;
        const items = result.kind === 'images' ? result.pixels : result.labels;
        expect(items.length).toBe(bytes.length - header);
        expect(items.length).toBe(
          result.kind === 'images' ? result.count * result.rows * result.cols : result.count,
        );
      }),
      runs(101),
    );
  });

  it('headers with any dimensions over short bodies: never an allocation, always the right verdict', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC),
        dimension,
        dimension,
        dimension,
        fc.integer({ min: 0, max: 200 }),
        (magic, count, rows, cols, bodyLength) => {
          const header = magic === IDX_IMAGES_MAGIC ? 16 : 8;
          const bytes = new Uint8Array(header + bodyLength);
          const view = new DataView(bytes.buffer);
          view.setUint32(0, magic);
          view.setUint32(4, count);
          if (magic === IDX_IMAGES_MAGIC) {
            view.setUint32(8, rows);
            view.setUint32(12, cols);
          }
          const expected = magic === IDX_IMAGES_MAGIC ? count * rows * cols : count;
          let code: MnistDataErrorCode | 'ok' = 'ok';
          try {
            const parsed = parseIdx(bytes);
            expect(parsed.kind === 'images' ? parsed.pixels.buffer : parsed.labels.buffer).toBe(bytes.buffer);
          } catch (error) {
            if (!(error instanceof MnistDataError)) throw error;
            code = error.code;
          }
          if (magic === IDX_IMAGES_MAGIC && (rows === 0 || cols === 0)) expect(code).toBe('BAD_SHAPE');
          else if (bodyLength < expected) expect(code).toBe('TRUNCATED');
          else if (bodyLength > expected) expect(code).toBe('BAD_LENGTH');
          else expect(code).toBe('ok');
        },
      ),
      runs(102),
    );
  });

  it('mutated valid files (images and labels): a typed error, or the parse of what the bytes now say', () => {
    const file = fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
        .chain(([count, rows, cols]) =>
          fc
            .uint8Array({ minLength: count * rows * cols, maxLength: count * rows * cols })
            .map((pixels) => encodeIdx({ kind: 'images', count, rows, cols, pixels })),
        ),
      fc
        .uint8Array({ maxLength: 20 })
        .map((labels) => encodeIdx({ kind: 'labels', count: labels.length, labels })),
    );
    fc.assert(
      fc.property(file, mutation, (original, change) => {
        const bytes = mutate(original, change);
        try {
          const parsed = parseIdx(bytes);
          // Whatever survived parses back to the same bytes.
          expect(Buffer.compare(encodeIdx(parsed), bytes)).toBe(0);
        } catch (error) {
          expect(error).toBeInstanceOf(MnistDataError);
          expect(PARSER_CODES).toContain((error as MnistDataError).code);
        }
      }),
      runs(103),
    );
  });
});

describe('file decoders (Node zlib + OpenSSL, and DecompressionStream + WebCrypto)', TEST_TIMEOUT, () => {
  const info = DATASETS.mnist;
  let labelsRaw: Uint8Array;
  let labelsGz: Uint8Array;
  beforeAll(async () => {
    labelsGz = await readFile(join(mnistGzDir(), 't10k-labels-idx1-ubyte.gz'));
    labelsRaw = gunzipSync(labelsGz);
  });

  it('mutated real labels, gzip and raw: a typed error or, if the content is intact, the verified file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), mutation, async (gzipped, change) => {
        const bytes = mutate(gzipped ? labelsGz : labelsRaw, change);
        for (const decode of [
          () => decodeBytesNode(info, 'testLabels', bytes, 'fuzzed'),
          () => decodeFileWeb('mnist', 'testLabels', bytes, 'fuzzed'),
        ]) {
          const file = await typedOutcome(async () => {
            const decoded = await decode();
            verifyFile(info, decoded);
            return decoded;
          }, LOADER_CODES);
          // Only a mutation that left the content as published can pass (e.g. a changed gzip header byte).
          if (file && file.parsed.kind === 'labels')
            expect(Buffer.compare(file.parsed.labels, labelsRaw.subarray(8))).toBe(0);
        }
      }),
      runs(201),
    );
  });

  it('random gzip streams with lying trailers inflate to at most the cap, or fail typed', async () => {
    const cap = contentBytes(info, 'testLabels');
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4096 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.nat(),
        async (payload, zeros, isize) => {
          const content = new Uint8Array(payload.length + zeros);
          content.set(payload);
          const gz = gzipSync(content);
          // The trailer's size field says anything at all.
          new DataView(gz.buffer, gz.byteOffset, gz.byteLength).setUint32(gz.length - 4, isize, true);
          for (const inflate of [() => gunzipNode(gz, 'fuzzed', cap), () => gunzipWeb(gz, 'fuzzed', cap)]) {
            const out = await typedOutcome(inflate, ['TOO_LARGE', 'BAD_GZIP', 'TRUNCATED']);
            if (out) {
              expect(out.length).toBeLessThanOrEqual(cap);
              expect(Buffer.compare(out, content)).toBe(0);
            }
            if (content.length > cap) expect(out).toBeUndefined();
          }
        },
      ),
      runs(202),
    );
  });

  it('the buffer allocated up front for inflating never exceeds the cap nor what deflate can produce', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.nat(), (bytes, isize, cap) => {
        const gz = Uint8Array.of(0x1f, 0x8b, ...bytes, 0, 0, 0, 0);
        new DataView(gz.buffer).setUint32(gz.length - 4, isize, true);
        const size = inflateBufferSize(gz, cap);
        expect(size).toBeLessThanOrEqual(cap);
        expect(size).toBeLessThanOrEqual(gz.length * 1032);
      }),
      runs(203),
    );
  });

  it('a gzip bomb (64 MB of zeros in 64 KB) posing as a data file stops at the size of that file', async () => {
    // Made from one reused 1 MB buffer, so that nothing large exists before the decoders run.
    const gzip = createGzip();
    const parts: Buffer[] = [];
    gzip.on('data', (part: Buffer) => parts.push(part));
    const ended = new Promise((resolve) => gzip.on('end', resolve));
    const zeros = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 64; i++) gzip.write(zeros);
    gzip.end();
    await ended;
    const bomb = Buffer.concat(parts);
    const before = process.memoryUsage().arrayBuffers;
    const outcomes: unknown[] = [];
    for (const role of ['testLabels', 'testImages'] as FileRole[]) {
      outcomes.push(
        await typedOutcome(() => gunzipNode(bomb, 'bomb', contentBytes(info, role)), ['TOO_LARGE']),
      );
      outcomes.push(
        await typedOutcome(() => gunzipWeb(bomb, 'bomb', contentBytes(info, role)), ['TOO_LARGE']),
      );
    }
    expect(outcomes).toEqual([undefined, undefined, undefined, undefined]);
    // Inflating the whole bomb would hold 64 MB; the largest cap here (the test images) is 7.8 MB.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });
});

describe('the loader on mutated real files', TEST_TIMEOUT, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let labelsGz: Uint8Array;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('mnist-fuzz-'));
    const images = 't10k-images-idx3-ubyte.gz';
    await writeFile(join(dir, images), await readFile(join(mnistGzDir(), images)));
    labelsGz = await readFile(join(mnistGzDir(), 't10k-labels-idx1-ubyte.gz'));
  });
  afterAll(() => cleanup());

  it('loadMnist({ dir }) on a mutated labels file (gzip or raw): a typed error, or the published data', async () => {
    const labelsRaw = gunzipSync(labelsGz);
    await fc.assert(
      fc.asyncProperty(fc.boolean(), mutation, async (gzipped, change) => {
        await rm(join(dir, 't10k-labels-idx1-ubyte'), { force: true });
        await rm(join(dir, 't10k-labels-idx1-ubyte.gz'), { force: true });
        const name = gzipped ? 't10k-labels-idx1-ubyte.gz' : 't10k-labels-idx1-ubyte';
        await writeFile(join(dir, name), mutate(gzipped ? labelsGz : labelsRaw, change));
        const data = await typedOutcome(() => loadMnist({ dir, splits: ['test'] }), LOADER_CODES);
        if (data) expect(Buffer.compare(data.test.labels, labelsRaw.subarray(8))).toBe(0);
      }),
      runs(301, 40),
    );
  });
});
