import { Box, Text } from 'ink';
import { formatCount, formatDuration, formatLoss, formatPercent } from '../render/format';
import type { EvaluationEvent } from '../events/types';
import { Heatmap } from './Heatmap';
import { MostConfused } from './MostConfused';

/** Props of {@link Report}. */
export interface ReportProps {
  readonly evaluation: EvaluationEvent;
  readonly classNames?: readonly string[];
  readonly testImage: ((index: number) => Uint8Array) | undefined;
  readonly color: boolean;
  readonly width: number;
}

/** A model's evaluation: test accuracy, the heatmap, the per-class report and the most confused pairs. */
export function Report({ evaluation, classNames, testImage, color, width }: ReportProps) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        <Text bold color={color ? 'green' : undefined}>
          {evaluation.model} test accuracy {formatPercent(evaluation.accuracy)}
        </Text>{' '}
        · loss {formatLoss(evaluation.loss)} · {formatCount(evaluation.count)} images ·{' '}
        {formatDuration(evaluation.seconds)}
      </Text>
      <Box marginTop={1}>
        <Heatmap
          confusion={evaluation.confusion}
          color={color}
          width={width}
          {...(classNames ? { classNames } : {})}
        />
      </Box>
      <Box marginTop={1}>
        <Text>{evaluation.reportText.replace(/\n+$/, '')}</Text>
      </Box>
      <MostConfused pairs={evaluation.mostConfused} testImage={testImage} color={color} width={width} />
    </Box>
  );
}
