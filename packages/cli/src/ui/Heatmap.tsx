import { Box, Text } from 'ink';
import { heatmapLines } from '../render/heatmap';

/** Props of {@link Heatmap}. */
export interface HeatmapProps {
  readonly confusion: readonly (readonly number[])[];
  readonly color: boolean;
  readonly classNames?: readonly string[];
  readonly width: number;
}

/**
 * The confusion matrix as a coloured heatmap with the count in every cell and a legend; without
 * colour, plain counts with the diagonal in brackets. Cells shrink on narrow terminals.
 */
export function Heatmap({ confusion, color, classNames, width }: HeatmapProps) {
  const largest = Math.max(0, ...confusion.flat());
  const natural = Math.max(4, String(largest).length + 3);
  // Fit the row labels (5), n cells and "  ← predicted" (13) into the width, never narrower than the counts.
  const fitted = Math.floor((width - 5 - 13) / Math.max(1, confusion.length));
  const cellWidth = Math.max(String(largest).length + (color ? 1 : 2), Math.min(natural + 2, fitted));
  const lines = heatmapLines(confusion, { color, cellWidth, ...(classNames ? { classNames } : {}) });
  return (
    <Box flexDirection="column">
      <Text bold>Confusion matrix (rows: true class, columns: predicted)</Text>
      <Text>{lines.join('\n')}</Text>
    </Box>
  );
}
