import { PNG } from 'pngjs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeImage, encodeGreyPng, ImageDecodeError, isTruncatedPng } from './decode';

describe('decodeImage', () => {
  it('reads 8-bit and 16-bit binary PGM and text PGM with comments', () => {
    const p5 = Buffer.concat([Buffer.from('P5\n# hi\n3 2\n255\n'), Buffer.from([0, 128, 255, 10, 20, 30])]);
    expect(decodeImage(p5, 'a.pgm')).toEqual({
      width: 3,
      height: 2,
      channels: 1,
      pixels: Uint8Array.from([0, 128, 255, 10, 20, 30]),
    });
    const p5wide = Buffer.concat([Buffer.from('P5 2 1 65535\n'), Buffer.from([0xff, 0xff, 0x80, 0x00])]);
    expect([...decodeImage(p5wide, 'b.pgm').pixels]).toEqual([255, 128]);
    const p2 = Buffer.from('P2\n2 2\n# max\n15\n0 15\n 5 # five\n10\n');
    expect([...decodeImage(p2, 'c.pgm').pixels]).toEqual([0, 255, 85, 170]);
  });
  it('reads PNGs of every colour type through pngjs as RGBA', () => {
    for (const colorType of [0, 2, 4, 6] as const) {
      const image = new PNG({ width: 2, height: 1 });
      image.data.set([10, 10, 10, 255, 200, 200, 200, 128]);
      const decoded = decodeImage(PNG.sync.write(image, { colorType }), `x${colorType}.png`);
      expect(decoded.channels).toBe(4);
      expect(decoded.width).toBe(2);
      expect(decoded.pixels[0]).toBe(10);
      expect(decoded.pixels[7]).toBe(colorType === 4 || colorType === 6 ? 128 : 255);
    }
  });
  it('round-trips the grey PNG encoder used by the HTML report', () => {
    const pixels = Uint8Array.from({ length: 784 }, (_, i) => i % 256);
    const decoded = decodeImage(encodeGreyPng({ width: 28, height: 28, pixels }), 'r.png');
    expect(Array.from({ length: 784 }, (_, i) => decoded.pixels[i * 4])).toEqual([...pixels]);
  });
  it('names the file and the problem for anything else', () => {
    expect(() => decodeImage(Buffer.from('GIF89a'), 'x.gif')).toThrow(
      new ImageDecodeError('x.gif: not a PNG or PGM image (convert it to PNG first)'),
    );
    expect(() => decodeImage(Buffer.from('P5\n4 4\n255\nabc'), 't.pgm')).toThrow('t.pgm: truncated PGM');
    expect(() => decodeImage(Buffer.from('P5\n0 4\n255\n'), 'z.pgm')).toThrow(
      new ImageDecodeError(
        'z.pgm: corrupt image (its header says 0×4 pixels; an image has at least 1×1). Copy or export it again.',
      ),
    );
    const png = PNG.sync.write(new PNG({ width: 4, height: 4 }));
    // A PNG whose chunks are complete but whose image data is damaged: its CRC says so, in our words (#25).
    const damaged = Buffer.from(png);
    const idat = damaged.indexOf('IDAT');
    damaged.fill(0xff, idat + 4, idat + 10);
    expect(() => decodeImage(damaged, 'bad.png')).toThrow(
      new ImageDecodeError(
        'bad.png: corrupt PNG (its IDAT chunk fails its CRC check: the file is damaged). Copy or export it again.',
      ),
    );
    // Damage with the CRC made to match: the rows do not decode ("Unrecognised filter type"): our words.
    const length = damaged.readUInt32BE(idat - 4);
    damaged.set(Buffer.from(png).subarray(idat + 4, idat + 4 + length), idat + 4);
    damaged.fill(0x13, idat + 6, idat + 11);
    damaged.writeUInt32BE(crc32(damaged.subarray(idat, idat + 4 + length)), idat + 4 + length);
    expect(() => decodeImage(damaged, 'bad.png')).toThrow(
      new ImageDecodeError(
        'bad.png: corrupt PNG (its chunks are whole but its image data does not decode). Copy or export it again.',
      ),
    );
    // A PGM pixel above its maxval is refused, not clamped.
    expect(() => decodeImage(Buffer.from('P2\n2 2\n15\n0 15 16 3\n'), 'over.pgm')).toThrow(
      new ImageDecodeError(
        'over.pgm: corrupt PGM (the pixel at row 1, column 0 is 16, above the maxval 15 its header declares). Copy ' +
          'or export it again.',
      ),
    );
    expect(() => decodeImage(Buffer.from([...Buffer.from('P5 2 1 200\n'), 3, 201]), 'over.bin.pgm')).toThrow(
      /^over\.bin\.pgm: corrupt PGM \(the pixel at row 0, column 1 is 201, above the maxval 200/,
    );
  });
  it('refuses an image whose header announces more pixels than the cap, before allocating them', () => {
    const tooMany = (name: string, width: number, height: number) =>
      new ImageDecodeError(
        `${name}: ${width}×${height} pixels, more than the 50,000,000 pixels (about 7,000×7,000) an image may ` +
          'have; scale it down (a digit needs only 28×28)',
      );
    // Headers alone: a decoder that trusted them would try to allocate 10 GB.
    expect(() => decodeImage(Buffer.from('P5 100000 100000 255\n'), 'huge.pgm')).toThrow(
      tooMany('huge.pgm', 100000, 100000),
    );
    expect(() => decodeImage(Buffer.from('P2\n100000 100000\n255\n0 0 0\n'), 'huge.txt.pgm')).toThrow(
      tooMany('huge.txt.pgm', 100000, 100000),
    );
    // Signature, then the IHDR chunk: length 13, type, width and height (big-endian), depth 8, RGBA, and a CRC
    // left at zero: the size is refused before pngjs would look at the CRC (and allocate 60000×60000×4 bytes).
    const ihdr = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(ihdr, 0);
    ihdr.writeUInt32BE(13, 8);
    ihdr.write('IHDR', 12, 'latin1');
    ihdr.writeUInt32BE(60_000, 16);
    ihdr.writeUInt32BE(60_000, 20);
    ihdr.set([8, 6, 0, 0, 0], 24);
    expect(() => decodeImage(ihdr, 'huge.png')).toThrow(tooMany('huge.png', 60000, 60000));
    // Under the pixel cap, but 7,000×7,000 16-bit RGBA is 392 MB of pixel data for pngjs: refused from the header
    // (#25). The same size as 8-bit grey is not refused for its size (this one is then a truncated PNG).
    ihdr.writeUInt32BE(7_000, 16);
    ihdr.writeUInt32BE(7_000, 20);
    ihdr.set([16, 6], 24);
    expect(() => decodeImage(ihdr, 'deep.png')).toThrow(
      new ImageDecodeError(
        'deep.png: 7000×7000 pixels of 64 bits each, 392,000,000 bytes of pixel data, more than the 100,000,000 ' +
          'bytes a PNG may have; scale it down or save it with 8-bit grey (a digit needs only 28×28)',
      ),
    );
    ihdr.set([8, 0], 24);
    expect(() => decodeImage(ihdr, 'big.png')).toThrow(/^big\.png: truncated PNG/);
    // A header of 0 pixels is named as such, with the file.
    ihdr.writeUInt32BE(0, 16);
    ihdr.writeUInt32BE(28, 20);
    expect(() => decodeImage(ihdr, 'empty.png')).toThrow(
      new ImageDecodeError(
        'empty.png: corrupt image (its header says 0×28 pixels; an image has at least 1×1). Copy or export it again.',
      ),
    );
  });
  it('refuses a second IHDR chunk (pngjs would take its size) and a file that does not start with IHDR', () => {
    const small = encodeGreyPng({ width: 2, height: 2, pixels: new Uint8Array(4) });
    // A copy of the real IHDR chunk (13 data bytes) announcing 8000×8000, inserted right after the first.
    const ihdrEnd = 8 + 12 + 13;
    const second = Buffer.from(small.subarray(8, ihdrEnd));
    // With a valid CRC, as an attacker would write it: pngjs would then allocate 8000×8000×4 bytes.
    const announce = (width: number, height: number) => {
      second.writeUInt32BE(width, 8);
      second.writeUInt32BE(height, 12);
      second.writeUInt32BE(crc32(second.subarray(4, 4 + 4 + 13)), 4 + 4 + 13);
    };
    announce(8000, 8000);
    const twoHeaders = Buffer.concat([small.subarray(0, ihdrEnd), second, small.subarray(ihdrEnd)]);
    expect(() => decodeImage(twoHeaders, 'two.png')).toThrow(
      new ImageDecodeError(
        'two.png: 8000×8000 pixels, more than the 50,000,000 pixels (about 7,000×7,000) an image may have; scale it down (a digit needs only 28×28)',
      ),
    );
    // Within the cap, still refused: a PNG has one IHDR.
    announce(3, 3);
    const again = Buffer.concat([small.subarray(0, ihdrEnd), second, small.subarray(ihdrEnd)]);
    expect(() => decodeImage(again, 'again.png')).toThrow(
      new ImageDecodeError('again.png: corrupt PNG (2 IHDR chunks, a PNG has one). Copy or export it again.'),
    );
    // The IHDR moved behind the next chunk.
    const next = small.subarray(ihdrEnd, ihdrEnd + 12 + Buffer.from(small).readUInt32BE(ihdrEnd));
    const late = Buffer.concat([
      small.subarray(0, 8),
      next,
      small.subarray(8, ihdrEnd),
      small.subarray(ihdrEnd + next.length),
    ]);
    expect(() => decodeImage(late, 'late.png')).toThrow(
      /^late\.png: corrupt PNG \(it starts with a \w{4} chunk, not IHDR\)/,
    );
    // The original decodes.
    expect(decodeImage(small, 'small.png')).toMatchObject({ width: 2, height: 2 });
  });
  it('says a PNG is truncated, in its own words, wherever the file was cut', () => {
    const image = new PNG({ width: 30, height: 30 });
    for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 31) % 256;
    const png = PNG.sync.write(image);
    expect(isTruncatedPng(png)).toBe(false);
    for (const cut of [8, 20, 33, 60, png.length >> 1, png.length - 13, png.length - 1]) {
      expect(isTruncatedPng(png.subarray(0, cut))).toBe(true);
      expect(() => decodeImage(png.subarray(0, cut), 'cut.png')).toThrow(
        new ImageDecodeError(
          `cut.png: truncated PNG (the file ends before the image does; ${cut} bytes). Copy or export it again.`,
        ),
      );
    }
  });
});
