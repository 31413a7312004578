import { describe, expect, it } from 'vitest';
import { downsample, greyCode, renderHalfBlocks, tileImages } from './halfblock';

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('renderHalfBlocks', () => {
  it('maps two pixel rows to one line of half-blocks without colour', () => {
    // Rows: [ink, -], [-, ink], [ink, ink], [ink, -].
    const pixels = [255, 0, 0, 255, 255, 255, 255, 0];
    expect(renderHalfBlocks(pixels, 2, 4, { color: false })).toEqual(['▀▄', '█▀']);
    expect(renderHalfBlocks([0, 0], 1, 2, { color: false })).toEqual([' ']);
  });
  it('draws a 28×28 image as 14 lines of 28 cells in both modes', () => {
    const pixels = Uint8Array.from({ length: 784 }, (_, i) => (i * 7) % 256);
    const plain = renderHalfBlocks(pixels, 28, 28, { color: false });
    const coloured = renderHalfBlocks(pixels, 28, 28, { color: true });
    expect(plain).toHaveLength(14);
    expect(coloured).toHaveLength(14);
    for (const line of plain) expect([...line]).toHaveLength(28);
    for (const line of coloured) expect([...stripAnsi(line)]).toEqual(Array(28).fill('▀'));
  });
  it('uses the foreground for the upper pixel and the background for the lower one', () => {
    const [line] = renderHalfBlocks([0, 255], 1, 2, { color: true });
    expect(line).toBe('\u001b[38;5;16m\u001b[48;5;231m▀\u001b[0m');
  });
  it('treats a missing last row as black', () => {
    expect(renderHalfBlocks([255, 255], 2, 1, { color: false })).toEqual(['▀▀']);
  });
  it('picks the nearest grey of the 256-colour palette', () => {
    expect(greyCode(0)).toBe(16);
    expect(greyCode(255)).toBe(231);
    expect(greyCode(128)).toBe(232 + 12);
  });
});

describe('downsample and tileImages', () => {
  it('averages blocks', () => {
    expect([...downsample([0, 100, 200, 100], 2, 2, 2)]).toEqual([100]);
    expect([...downsample(new Uint8Array(784).fill(9), 28, 28, 2)]).toHaveLength(196);
  });
  it('wraps images to the width and puts captions under them', () => {
    const image = { lines: ['ab', 'cd'], caption: 'xyz', width: 2 };
    expect(tileImages([image, image, image], 6)).toEqual([
      'ab  ab',
      'cd  cd',
      'xy  xy',
      '',
      'ab',
      'cd',
      'xy',
    ]);
  });
});
