import { Box, Text } from 'ink';
import { formatCount } from '../render/format';
import type { ModelEvent, StartEvent } from '../events/types';
import { modelName, modelText } from '../render/messages';

/** Props of {@link Header}. */
export interface HeaderProps {
  readonly start: StartEvent;
  readonly color: boolean;
}

/** The run's header: data set and where it was found, image counts, backend and why it was chosen. */
export function Header({ start, color }: HeaderProps) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold color={color ? 'cyan' : undefined}>
        mnist {start.command} · {start.models.join(' then ')}
      </Text>
      <Text>
        Data: {start.dataset} · {formatCount(start.trainCount)} training / {formatCount(start.testCount)} test
        images · from {start.source.kind} ({start.source.location})
      </Text>
      <Text>
        Backend: {start.backend.name} ({start.backend.reason})
        {start.seed === undefined ? '' : ` · seed ${start.seed}`}
      </Text>
    </Box>
  );
}

/** Props of {@link ModelHeader}. */
export interface ModelHeaderProps {
  readonly model: ModelEvent;
  readonly color: boolean;
}

/** The model summary printed when a model starts: layers, parameter count and recipe. */
export function ModelHeader({ model, color }: ModelHeaderProps) {
  return (
    <Box marginTop={1}>
      <Text>
        <Text bold color={color ? 'magenta' : undefined}>
          {modelName(model)}
        </Text>
        : {modelText(model)}
      </Text>
    </Box>
  );
}
