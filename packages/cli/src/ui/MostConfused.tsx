import { Box, Text } from 'ink';
import type { ConfusedPair } from '../events/types';
import { SampleDigits } from './SampleDigits';

/** Props of {@link MostConfused}. */
export interface MostConfusedProps {
  readonly pairs: readonly ConfusedPair[];
  /** The 784 pixels of test image `index`. */
  readonly testImage: ((index: number) => Uint8Array) | undefined;
  readonly color: boolean;
  readonly width: number;
  /** How many pairs to show (default 5). */
  readonly limit?: number;
}

/** The most frequent mistakes (true → predicted ×count) with one example image of each. */
export function MostConfused({ pairs, testImage, color, width, limit = 5 }: MostConfusedProps) {
  const shown = pairs.slice(0, limit);
  if (shown.length === 0) return <Text>No mistakes.</Text>;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>Most confused: {shown.map((p) => `${p.actual}→${p.predicted} ×${p.count}`).join(', ')}</Text>
      {testImage ? (
        <SampleDigits
          color={color}
          width={width}
          images={shown.map((p) => ({
            pixels: testImage(p.example),
            caption: `${p.actual}→${p.predicted} #${p.example}`,
          }))}
        />
      ) : null}
    </Box>
  );
}
