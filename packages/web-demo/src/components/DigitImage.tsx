import { PIXELS, SIDE } from '@mnist/models/browser';
import { useEffect, useRef } from 'react';

/** The MNIST image side (28). */
export const DIGIT_SIDE = SIDE;

/**
 * Converts one 28x28 image (bytes 0..255 or floats 0..1) to RGBA for `putImageData`, white ink on black as MNIST
 * stores it, so the preview shows exactly the numbers the model receives.
 */
export function digitToRgba(pixels: ArrayLike<number>, scale: 1 | 255): Uint8ClampedArray<ArrayBuffer> {
  const n = PIXELS;
  if (pixels.length !== n) throw new Error(`digitToRgba: expected ${n} pixels, got ${pixels.length}.`);
  const rgba = new Uint8ClampedArray(n * 4);
  const factor = scale === 1 ? 255 : 1;
  for (let i = 0; i < n; i++) {
    const v = Math.round((pixels[i] as number) * factor);
    rgba[i * 4] = v;
    rgba[i * 4 + 1] = v;
    rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** Props of {@link DigitImage}. */
export interface DigitImageProps {
  /** 784 pixels: bytes (`scale` 255) or model inputs in 0..1 (`scale` 1); null leaves the image transparent. */
  pixels: ArrayLike<number> | null;
  scale: 1 | 255;
  /** Accessible description, e.g. "Test image 12, a 7". */
  label: string;
  className?: string;
  testId?: string;
}

/** A 28x28 greyscale image drawn pixel for pixel on a canvas (CSS scales it up with crisp pixels). */
export function DigitImage({ pixels, scale, label, className, testId }: DigitImageProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    if (!pixels) {
      // Nothing yet: transparent, so the page's neutral empty state shows instead of a black square.
      ctx.clearRect(0, 0, DIGIT_SIDE, DIGIT_SIDE);
      return;
    }
    ctx.putImageData(new ImageData(digitToRgba(pixels, scale), DIGIT_SIDE, DIGIT_SIDE), 0, 0);
  }, [pixels, scale]);
  return (
    <canvas
      ref={ref}
      width={DIGIT_SIDE}
      height={DIGIT_SIDE}
      className={`digit ${className ?? ''}`.trim()}
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
}
