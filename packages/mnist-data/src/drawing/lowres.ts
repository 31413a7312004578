// Low-resolution re-rendering: what a digit looks like when it was drawn or captured on a coarse grid (a small
// canvas, a pixel-art pad, a thumbnail) and then blown up again.
import { MnistDataError } from '../errors.js';

/**
 * Area-averaging resampling of a grey image to another size: each output pixel is the mean of the part of the input
 * it covers (exact for any ratio, up or down; separable, rows then columns).
 */
export function resampleArea(
  src: ArrayLike<number>,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Float32Array {
  checkSize(src.length, width, height, 'resampleArea');
  if (!Number.isInteger(outWidth) || !Number.isInteger(outHeight) || outWidth < 1 || outHeight < 1) {
    throw new MnistDataError(
      'BAD_INPUT',
      `resampleArea: output size must be positive integers, got ${outWidth}×${outHeight}.`,
    );
  }
  const columns = spans(width, outWidth);
  const rows = spans(height, outHeight);
  const horizontal = new Float64Array(height * outWidth);
  for (let r = 0; r < height; r++) {
    for (let X = 0; X < outWidth; X++) {
      let sum = 0;
      for (const [c, w] of columns[X] as [number, number][]) sum += w * (src[r * width + c] as number);
      horizontal[r * outWidth + X] = sum;
    }
  }
  const out = new Float32Array(outWidth * outHeight);
  for (let Y = 0; Y < outHeight; Y++) {
    for (const [r, w] of rows[Y] as [number, number][]) {
      for (let X = 0; X < outWidth; X++) {
        out[Y * outWidth + X] =
          (out[Y * outWidth + X] as number) + w * (horizontal[r * outWidth + X] as number);
      }
    }
  }
  return out;
}

/** For each output position, the input positions it overlaps and their weights (overlap / output footprint). */
function spans(inLength: number, outLength: number): [number, number][][] {
  const ratio = inLength / outLength;
  const result: [number, number][][] = [];
  for (let X = 0; X < outLength; X++) {
    const a = X * ratio;
    const b = (X + 1) * ratio;
    const list: [number, number][] = [];
    for (let x = Math.floor(a); x < Math.min(inLength, Math.ceil(b)); x++) {
      const overlap = Math.min(b, x + 1) - Math.max(a, x);
      if (overlap > 0) list.push([x, overlap / ratio]);
    }
    result.push(list);
  }
  return result;
}

/**
 * Re-renders a grey image (bytes) on a `cells × cells` grid and back at its own size: area-averaged down (every
 * cell the mean ink it covers), then each cell painted as a solid block (nearest-neighbour up). The blocky result is
 * what a digit drawn on a coarse grid looks like.
 *
 * @throws {@link MnistDataError} `BAD_INPUT` for a size that does not match or a grid under 1 cell.
 */
export function pixelate(src: Uint8Array, width: number, height: number, cells: number): Uint8Array {
  checkSize(src.length, width, height, 'pixelate');
  if (!Number.isInteger(cells) || cells < 1) {
    throw new MnistDataError('BAD_INPUT', `pixelate: cells must be a whole number ≥ 1, got ${cells}.`);
  }
  const grid = resampleArea(src, width, height, cells, cells);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = Math.min(cells - 1, Math.floor((y * cells) / height));
    for (let x = 0; x < width; x++) {
      const column = Math.min(cells - 1, Math.floor((x * cells) / width));
      out[y * width + x] = Math.min(255, Math.round(grid[row * cells + column] as number));
    }
  }
  return out;
}

function checkSize(length: number, width: number, height: number, what: string): void {
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    length !== width * height
  ) {
    throw new MnistDataError(
      'BAD_INPUT',
      `${what}: a ${width}×${height} image needs ${width * height} grey values, got ${length}.`,
    );
  }
}
