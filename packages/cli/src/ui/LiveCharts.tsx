import { sparkline } from '@mnist/metrics';
import { Box, Text } from 'ink';
import { formatLoss, formatPercent } from '../render/format';

/** Props of {@link LiveCharts}. */
export interface LiveChartsProps {
  readonly loss: readonly number[];
  readonly accuracy: readonly number[];
  readonly width: number;
  readonly color: boolean;
}

/** Loss and accuracy so far as sparklines, down-sampled to the terminal's width, with the last value. */
export function LiveCharts({ loss, accuracy, width, color }: LiveChartsProps) {
  if (loss.length === 0) return null;
  const chartWidth = Math.max(8, Math.min(80, width - 26));
  const line = (values: readonly number[]) => sparkline(values, chartWidth);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        {'loss     '}
        <Text color={color ? 'yellow' : undefined}>{line(loss)}</Text>{' '}
        {formatLoss(loss[loss.length - 1] ?? Number.NaN)}
      </Text>
      <Text>
        {'accuracy '}
        <Text color={color ? 'green' : undefined}>{line(accuracy)}</Text>{' '}
        {formatPercent(accuracy[accuracy.length - 1] ?? Number.NaN)}
      </Text>
    </Box>
  );
}
