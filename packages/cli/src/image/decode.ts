import { PNG } from 'pngjs';
import { formatCount } from '../render/format';
import { crc32 } from 'node:zlib';
import { MAX_IMAGE_PIXELS, MAX_PNG_PIXEL_BYTES } from './limits';

/** A greyscale image: row-major, one byte per pixel, 0 = black, 255 = white. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/** An image file that cannot be read; the message names the file and what is wrong. */
export class ImageDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A decoded image file: greyscale (PGM) or RGBA (PNG, so that transparency can say where the ink is). */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 4;
  readonly pixels: Uint8Array;
}

/**
 * Decodes a PNG (any colour type and bit depth, interlaced or not, via pngjs) to RGBA, or a PGM (P2 text or
 * P5 binary, 8 or 16 bit) to grey. The format is recognised from the bytes, not the name.
 * @param name used in error messages
 */
export function decodeImage(bytes: Uint8Array, name: string): DecodedImage {
  if (PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return decodePng(bytes, name);
  if (bytes[0] === 0x50 /* P */ && (bytes[1] === 0x32 || bytes[1] === 0x35)) return decodePgm(bytes, name);
  throw new ImageDecodeError(`${name}: not a PNG or PGM image (convert it to PNG first)`);
}

/** What one walk over a PNG's chunks (length, type, data, CRC) finds, before any decoder sees the file. */
interface PngChunks {
  /** The type of the first chunk (the format requires IHDR). */
  readonly first: string | undefined;
  /** Width, height and bits per pixel of every complete IHDR chunk (the format allows one; pngjs would take a later one). */
  readonly headers: readonly { width: number; height: number; bits: number }[];
  /** The file ends before its last chunk (IEND) does. */
  readonly truncated: boolean;
  /** The first chunk whose CRC does not match its content (a damaged file), if any. */
  readonly badCrc?: string;
}

/** Channels of each PNG colour type: grey, RGB, palette, grey + alpha, RGBA. */
const PNG_CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function walkPng(bytes: Uint8Array): PngChunks {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headers: { width: number; height: number; bits: number }[] = [];
  let first: string | undefined;
  let badCrc: string | undefined;
  let pos = PNG_SIGNATURE.length;
  while (pos + 8 <= bytes.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    first ??= type;
    const end = pos + 12 + length;
    if (end > bytes.length) return { first, headers, truncated: true, badCrc };
    if (type === 'IHDR' && length >= 10) {
      const channels = PNG_CHANNELS[bytes[pos + 17] as number] ?? 4;
      headers.push({
        width: view.getUint32(pos + 8),
        height: view.getUint32(pos + 12),
        bits: channels * Math.max(1, bytes[pos + 16] as number),
      });
    }
    if (badCrc === undefined && crc32(bytes.subarray(pos + 4, end - 4)) !== view.getUint32(end - 4))
      badCrc = type;
    if (type === 'IEND') return { first, headers, truncated: false, badCrc };
    pos = end;
  }
  return { first, headers, truncated: true, badCrc };
}

/**
 * Says whether a PNG file ends before its last chunk (IEND) does: a truncated download or copy, which pngjs
 * reports only in its own words.
 */
export function isTruncatedPng(bytes: Uint8Array): boolean {
  return walkPng(bytes).truncated;
}

/**
 * Refuses an image whose header announces more than {@link MAX_IMAGE_PIXELS}, before anything of that size is
 * allocated.
 */
function checkPixelCount(width: number, height: number, name: string): void {
  if (width < 1 || height < 1) {
    throw new ImageDecodeError(
      `${name}: corrupt image (its header says ${width}×${height} pixels; an image has at least 1×1). Copy or export it again.`,
    );
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    const side = formatCount(Math.floor(Math.sqrt(MAX_IMAGE_PIXELS) / 100) * 100);
    throw new ImageDecodeError(
      `${name}: ${width}×${height} pixels, more than the ${formatCount(MAX_IMAGE_PIXELS)} pixels (about ${side}×${side}) ` +
        'an image may have; scale it down (a digit needs only 28×28)',
    );
  }
}

function decodePng(bytes: Uint8Array, name: string): DecodedImage {
  // pngjs allocates whatever an IHDR chunk says, and takes a second one if it comes: every one is checked, and
  // only a file with exactly one, first, reaches it.
  const chunks = walkPng(bytes);
  for (const { width, height, bits } of chunks.headers) {
    checkPixelCount(width, height, name);
    const pixelBytes = Math.ceil((width * bits) / 8) * height;
    if (pixelBytes > MAX_PNG_PIXEL_BYTES) {
      throw new ImageDecodeError(
        `${name}: ${width}×${height} pixels of ${bits} bits each, ${formatCount(pixelBytes)} bytes of pixel data, more ` +
          `than the ${formatCount(MAX_PNG_PIXEL_BYTES)} bytes a PNG may have; scale it down or save it with 8-bit ` +
          'grey (a digit needs only 28×28)',
      );
    }
  }
  if (chunks.headers.length > 1 || (chunks.first !== undefined && chunks.first !== 'IHDR')) {
    throw new ImageDecodeError(
      `${name}: corrupt PNG (${chunks.headers.length > 1 ? `${chunks.headers.length} IHDR chunks, a PNG has one` : `it starts with a ${chunks.first} chunk, not IHDR`}). Copy or export it again.`,
    );
  }
  if (chunks.truncated) {
    throw new ImageDecodeError(
      `${name}: truncated PNG (the file ends before the image does; ${bytes.length} bytes). Copy or export it again.`,
    );
  }
  if (chunks.badCrc !== undefined) {
    throw new ImageDecodeError(
      `${name}: corrupt PNG (its ${chunks.badCrc} chunk fails its CRC check: the file is damaged). Copy or export it again.`,
    );
  }
  try {
    // pngjs expands every colour type and bit depth (and interlacing) to 8-bit RGBA.
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, channels: 4, pixels: new Uint8Array(png.data) };
  } catch {
    // pngjs's own words ("unrecognised content at end of stream") say nothing to someone with a picture.
    throw new ImageDecodeError(
      `${name}: corrupt PNG (its chunks are whole but its image data does not decode). Copy or export it again.`,
    );
  }
}

function decodePgm(bytes: Uint8Array, name: string): DecodedImage {
  const binary = bytes[1] === 0x35;
  // Header: magic, width, height, maxval, separated by whitespace, with # comments.
  const fields: number[] = [];
  let pos = 2;
  while (fields.length < 3 && pos < bytes.length) {
    const c = bytes[pos] as number;
    if (c === 0x23) {
      while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
    } else if (c >= 0x30 && c <= 0x39) {
      let value = 0;
      while (pos < bytes.length && (bytes[pos] as number) >= 0x30 && (bytes[pos] as number) <= 0x39) {
        value = value * 10 + ((bytes[pos] as number) - 0x30);
        pos++;
      }
      fields.push(value);
      continue;
    } else if (!isSpace(c)) {
      throw new ImageDecodeError(`${name}: corrupt PGM header`);
    }
    pos++;
  }
  const [width = 0, height = 0, maxval = 0] = fields;
  if (fields.length < 3 || maxval < 1 || maxval > 65535) {
    throw new ImageDecodeError(
      `${name}: corrupt PGM header (width ${width}, height ${height}, maxval ${maxval})`,
    );
  }
  checkPixelCount(width, height, name);
  const count = width * height;
  const pixels = new Uint8Array(count);
  const scale = 255 / maxval;
  if (binary) {
    pos++; // exactly one whitespace byte separates the header from the raster
    const bytesPerSample = maxval > 255 ? 2 : 1;
    if (bytes.length < pos + count * bytesPerSample) {
      throw new ImageDecodeError(`${name}: truncated PGM (expected ${count * bytesPerSample} pixel bytes)`);
    }
    for (let i = 0; i < count; i++) {
      const value =
        bytesPerSample === 1
          ? (bytes[pos + i] as number)
          : ((bytes[pos + 2 * i] as number) << 8) | (bytes[pos + 2 * i + 1] as number);
      if (value > maxval) throw overMaxval(name, i, width, value, maxval);
      pixels[i] = Math.round(value * scale);
    }
  } else {
    const text = new TextDecoder().decode(bytes.subarray(pos)).replace(/#[^\n]*/g, ' ');
    const values = text.split(/\s+/).filter((part) => part !== '');
    if (values.length < count)
      throw new ImageDecodeError(`${name}: truncated PGM (${values.length} of ${count} pixels)`);
    for (let i = 0; i < count; i++) {
      const value = Number(values[i]);
      if (!Number.isInteger(value) || value < 0)
        throw new ImageDecodeError(`${name}: corrupt PGM pixel ${JSON.stringify(values[i])}`);
      if (value > maxval) throw overMaxval(name, i, width, value, maxval);
      pixels[i] = Math.round(value * scale);
    }
  }
  return { width, height, channels: 1, pixels };
}

/** A PGM sample above the maxval its header declares: the file is damaged or not what it says. */
function overMaxval(
  name: string,
  index: number,
  width: number,
  value: number,
  maxval: number,
): ImageDecodeError {
  return new ImageDecodeError(
    `${name}: corrupt PGM (the pixel at row ${Math.floor(index / width)}, column ${index % width} is ${value}, above ` +
      `the maxval ${maxval} its header declares). Copy or export it again.`,
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

/** Encodes a greyscale image as an 8-bit greyscale PNG (used by the HTML report and by tests). */
export function encodeGreyPng(image: GreyImage): Buffer {
  const png = new PNG({
    width: image.width,
    height: image.height,
    colorType: 0,
    inputColorType: 0,
    inputHasAlpha: false,
  });
  png.data = Buffer.from(image.pixels);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}
