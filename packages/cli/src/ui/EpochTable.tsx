import { Box, Text } from 'ink';
import { formatCount, formatDuration, formatLoss, formatPercent } from '../render/format';
import type { EpochEvent } from '../events/types';

/** Column widths shared by the header and the rows so the table lines up when printed row by row. */
const COLUMNS = { model: 8, epoch: 7, loss: 8, accuracy: 10, time: 9, rate: 12 } as const;

/** The table's heading line. */
export function epochTableHeading(): string {
  return [
    'model'.padEnd(COLUMNS.model),
    'epoch'.padStart(COLUMNS.epoch),
    'loss'.padStart(COLUMNS.loss),
    'accuracy'.padStart(COLUMNS.accuracy),
    'time'.padStart(COLUMNS.time),
    'samples/s'.padStart(COLUMNS.rate),
  ].join(' ');
}

/** One finished epoch as a table line. */
export function epochTableRow(epoch: EpochEvent): string {
  return [
    epoch.model.padEnd(COLUMNS.model),
    `${epoch.epoch}/${epoch.epochs}`.padStart(COLUMNS.epoch),
    formatLoss(epoch.loss).padStart(COLUMNS.loss),
    formatPercent(epoch.accuracy).padStart(COLUMNS.accuracy),
    formatDuration(epoch.seconds).padStart(COLUMNS.time),
    formatCount(epoch.samplesPerSecond).padStart(COLUMNS.rate),
  ].join(' ');
}

/** Props of {@link EpochRow}. */
export interface EpochRowProps {
  readonly epoch: EpochEvent;
  /** Print the heading above this row (the first epoch of a model). */
  readonly heading: boolean;
  readonly color: boolean;
}

/** One finished epoch, printed once through <Static> as it completes. */
export function EpochRow({ epoch, heading, color }: EpochRowProps) {
  return (
    <Box flexDirection="column" marginTop={heading ? 1 : 0}>
      {heading ? (
        <Text bold dimColor={color}>
          {epochTableHeading()}
        </Text>
      ) : null}
      <Text>{epochTableRow(epoch)}</Text>
    </Box>
  );
}

/** Props of {@link EpochTable}. */
export interface EpochTableProps {
  readonly epochs: readonly EpochEvent[];
  readonly color: boolean;
}

/** All finished epochs of a run as one table. */
export function EpochTable({ epochs, color }: EpochTableProps) {
  return (
    <Box flexDirection="column">
      <Text bold dimColor={color}>
        {epochTableHeading()}
      </Text>
      {epochs.map((epoch) => (
        <Text key={`${epoch.model}:${epoch.epoch}`}>{epochTableRow(epoch)}</Text>
      ))}
    </Box>
  );
}
