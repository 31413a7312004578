import { SIDE } from '@mnist/models';
import { Box, Text } from 'ink';
import { downsample, renderHalfBlocks, tileImages } from '../render/halfblock';

/** Props of {@link SampleDigits}. */
export interface SampleDigitsProps {
  readonly images: ReadonlyArray<{ readonly pixels: Uint8Array; readonly caption: string }>;
  readonly color: boolean;
  /** Terminal columns available. */
  readonly width: number;
  readonly title?: string;
}

/**
 * Digits drawn with half-blocks in greyscale, as many side by side as fit. Below 30 columns the
 * images are drawn at half size so that they still fit.
 */
export function SampleDigits({ images, color, width, title }: SampleDigitsProps) {
  const half = width < 30;
  const size = half ? SIDE / 2 : SIDE;
  const tiles = images.map(({ pixels, caption }) => ({
    lines: renderHalfBlocks(half ? downsample(pixels, SIDE, SIDE, 2) : pixels, size, size, { color }),
    caption,
    width: size,
  }));
  return (
    <Box flexDirection="column" marginBottom={1}>
      {title ? <Text>{title}</Text> : null}
      <Text>{tileImages(tiles, width).join('\n')}</Text>
    </Box>
  );
}
