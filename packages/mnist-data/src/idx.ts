// Ours by nature: IDX is MNIST's own format, a magic number and at most three big-endian sizes before the bytes.
// Parsing it is these checks (sizes against the real length before anything is sized from them), which are the
// point; a library would add a dependency for four reads of a DataView.
import { MnistDataError } from './errors.js';

/** Magic number of an IDX file of unsigned-byte images (3 dimensions: count, rows, cols). */
export const IDX_IMAGES_MAGIC = 2051;
/** Magic number of an IDX file of unsigned-byte labels (1 dimension: count). */
export const IDX_LABELS_MAGIC = 2049;

/** A parsed IDX image file. `pixels` is a view into the input bytes (no copy). */
export interface IdxImages {
  kind: 'images';
  count: number;
  rows: number;
  cols: number;
  /** `count * rows * cols` bytes, row-major, one image after another. */
  pixels: Uint8Array;
}

/** A parsed IDX label file. `labels` is a view into the input bytes (no copy). */
export interface IdxLabels {
  kind: 'labels';
  count: number;
  labels: Uint8Array;
}

/** The largest label: MNIST and Fashion-MNIST have ten classes. */
const MAX_LABEL = 9;

const IMAGES_HEADER_BYTES = 16;
const LABELS_HEADER_BYTES = 8;

/**
 * Parses an uncompressed IDX file of unsigned bytes (the MNIST format): big-endian magic 2051 (images: count, rows,
 * cols) or 2049 (labels: count), then the data. Checks the magic, the dimensions and that the byte length is exactly
 * what the header announces. The returned arrays are views into `bytes`.
 *
 * @param bytes - the whole file, uncompressed.
 * @param name - the file's name, used in error messages.
 * @throws {@link MnistDataError} `BAD_INPUT` (not a Uint8Array), `BAD_MAGIC`, `TRUNCATED`, `BAD_LENGTH`,
 * `BAD_SHAPE` or `BAD_LABEL` (a label outside 0–9).
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX file'): IdxImages | IdxLabels {
  if (!(bytes instanceof Uint8Array)) {
    const got = bytes === null ? 'null' : Array.isArray(bytes) ? 'an array' : typeof bytes;
    throw new MnistDataError(
      'BAD_INPUT',
      `parseIdx takes the bytes of ${name} as a Uint8Array (e.g. from fs.readFileSync); got ${got}.`,
      { file: name },
    );
  }
  if (bytes.byteLength < 4) {
    throw new MnistDataError(
      'TRUNCATED',
      `${name} is only ${bytes.byteLength} bytes long: too short to be an IDX file. Delete it and load again.`,
      { file: name },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== IDX_IMAGES_MAGIC && magic !== IDX_LABELS_MAGIC) {
    throw new MnistDataError(
      'BAD_MAGIC',
      `${name} is not an MNIST IDX file: its first 4 bytes read ${magic} (0x${magic.toString(16).padStart(8, '0')}), ` +
        `expected ${IDX_IMAGES_MAGIC} (images) or ${IDX_LABELS_MAGIC} (labels). ` +
        'Check that the file is the right one and, if it is compressed, that it is gzip.',
      { file: name },
    );
  }
  const headerBytes = magic === IDX_IMAGES_MAGIC ? IMAGES_HEADER_BYTES : LABELS_HEADER_BYTES;
  if (bytes.byteLength < headerBytes) {
    throw new MnistDataError(
      'TRUNCATED',
      `${name} ends inside its header (${bytes.byteLength} of ${headerBytes} bytes). The file is incomplete: delete it and load again.`,
      { file: name },
    );
  }
  const count = view.getUint32(4, false);
  let rows = 1;
  let cols = 1;
  if (magic === IDX_IMAGES_MAGIC) {
    rows = view.getUint32(8, false);
    cols = view.getUint32(12, false);
    if (rows === 0 || cols === 0) {
      throw new MnistDataError(
        'BAD_SHAPE',
        `${name} declares images of ${rows}×${cols} pixels, which is empty.`,
        {
          file: name,
        },
      );
    }
  }
  const expected = headerBytes + count * rows * cols;
  if (bytes.byteLength < expected) {
    throw new MnistDataError(
      'TRUNCATED',
      `${name} is truncated: its header announces ${count} ${magic === IDX_IMAGES_MAGIC ? `images of ${rows}×${cols}` : 'labels'} ` +
        `(${expected} bytes) but it holds ${bytes.byteLength} bytes. The file is incomplete: delete it and load again.`,
      { file: name },
    );
  }
  if (bytes.byteLength > expected) {
    throw new MnistDataError(
      'BAD_LENGTH',
      `${name} has ${bytes.byteLength - expected} bytes more than its header announces (${expected} bytes). ` +
        'It is not a valid IDX file: replace it with the original.',
      { file: name },
    );
  }
  const data = bytes.subarray(headerBytes, expected);
  if (magic === IDX_IMAGES_MAGIC) return { kind: 'images', count, rows, cols, pixels: data };
  const outside = data.findIndex((label) => label > MAX_LABEL);
  if (outside !== -1) {
    throw new MnistDataError(
      'BAD_LABEL',
      `${name} gives example ${outside} the label ${data[outside]}; labels run from 0 to ${MAX_LABEL}. ` +
        'It is not an MNIST label file: replace it with the original.',
      { file: name },
    );
  }
  return { kind: 'labels', count, labels: data };
}

/** Parses an IDX image file, failing with `BAD_MAGIC` if it holds labels. See {@link parseIdx}. */
export function parseIdxImages(bytes: Uint8Array, name = 'IDX image file'): IdxImages {
  const parsed = parseIdx(bytes, name);
  if (parsed.kind !== 'images') {
    throw new MnistDataError(
      'BAD_MAGIC',
      `${name} holds labels (magic ${IDX_LABELS_MAGIC}) where images (magic ${IDX_IMAGES_MAGIC}) were expected. Are two files swapped?`,
      { file: name },
    );
  }
  return parsed;
}

/** Parses an IDX label file, failing with `BAD_MAGIC` if it holds images. See {@link parseIdx}. */
export function parseIdxLabels(bytes: Uint8Array, name = 'IDX label file'): IdxLabels {
  const parsed = parseIdx(bytes, name);
  if (parsed.kind !== 'labels') {
    throw new MnistDataError(
      'BAD_MAGIC',
      `${name} holds images (magic ${IDX_IMAGES_MAGIC}) where labels (magic ${IDX_LABELS_MAGIC}) were expected. Are two files swapped?`,
      { file: name },
    );
  }
  return parsed;
}

/** Encodes images or labels as an IDX file (the inverse of {@link parseIdx}); handy for tests and exports. */
export function encodeIdx(data: IdxImages | IdxLabels): Uint8Array {
  const header = data.kind === 'images' ? IMAGES_HEADER_BYTES : LABELS_HEADER_BYTES;
  const body = data.kind === 'images' ? data.pixels : data.labels;
  const out = new Uint8Array(header + body.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.kind === 'images' ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC, false);
  view.setUint32(4, data.count, false);
  if (data.kind === 'images') {
    view.setUint32(8, data.rows, false);
    view.setUint32(12, data.cols, false);
  }
  out.set(body, header);
  return out;
}
