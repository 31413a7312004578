import { Box, Text } from 'ink';
import {
  formatClock,
  formatCount,
  formatLoss,
  formatPercent,
  formatRate,
  progressBar,
} from '../render/format';
import type { BatchEvent } from '../events/types';

/** Props of {@link EpochProgress}. */
export interface EpochProgressProps {
  readonly progress: BatchEvent;
  readonly width: number;
  readonly color: boolean;
}

/**
 * The running epoch: a progress bar sized to the terminal, batches done, samples/s, ETA and the
 * running loss and accuracy. On narrow terminals the figures wrap under the bar.
 */
export function EpochProgress({ progress, width, color }: EpochProgressProps) {
  const fraction = progress.samplesTotal > 0 ? progress.samples / progress.samplesTotal : 0;
  const label = `${progress.model} epoch ${progress.epoch}/${progress.epochs} `;
  const percent = ` ${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const barWidth = Math.max(10, Math.min(50, width - label.length - percent.length - 1));
  return (
    <Box flexDirection="column">
      <Text>
        {label}
        <Text color={color ? 'green' : undefined}>{progressBar(fraction, barWidth)}</Text>
        {percent}
      </Text>
      <Text>
        {formatCount(progress.batch)}/{formatCount(progress.batches)} batches ·{' '}
        {formatRate(progress.samplesPerSecond)} · ETA {formatClock(progress.etaSeconds)} · loss{' '}
        {formatLoss(progress.loss)} · accuracy {formatPercent(progress.accuracy)}
      </Text>
    </Box>
  );
}
