import { PIXELS, SIDE } from '@mnist/models';

/** Bounding box of the pixels above `threshold` in a 28×28 image. */
export function inkBox(pixels: ArrayLike<number>, threshold: number): { width: number; height: number } {
  let x0 = SIDE;
  let y0 = SIDE;
  let x1 = -1;
  let y1 = -1;
  for (let i = 0; i < PIXELS; i++) {
    if ((pixels[i] as number) > threshold) {
      const x = i % SIDE;
      const y = Math.floor(i / SIDE);
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return { width: Math.max(0, x1 - x0 + 1), height: Math.max(0, y1 - y0 + 1) };
}
