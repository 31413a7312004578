import { Box, Static, Text } from 'ink';
import { imagesPerRow } from '../render/halfblock';
import { currentRun, type DashboardState, type LogItem } from '../dashboard/state';
import { EpochProgress } from './EpochProgress';
import { EpochRow } from './EpochTable';
import { Header, ModelHeader } from './Header';
import { LiveCharts } from './LiveCharts';
import { Report } from './Report';
import { SampleDigits } from './SampleDigits';

/** Props of {@link Dashboard}. */
export interface DashboardProps {
  readonly state: DashboardState;
  readonly width: number;
  readonly color: boolean;
  readonly trainImage?: (index: number) => Uint8Array;
  readonly testImage?: (index: number) => Uint8Array;
  /** Show the "press q to stop" hint (only when keys can be read). */
  readonly interactive?: boolean;
}

/**
 * The training dashboard. Finished things (header, sample digits, epoch rows, evaluations) are printed
 * once through <Static> and scroll away like normal output; only the running epoch's progress bar and
 * live charts are redrawn, which keeps the redrawn area small on any terminal height.
 */
export function Dashboard({
  state,
  width,
  color,
  trainImage,
  testImage,
  interactive = false,
}: DashboardProps) {
  const run = currentRun(state);
  const progress = run?.progress;
  return (
    <Box flexDirection="column">
      <Static items={[...state.log]}>
        {(item: LogItem) => (
          <Box key={item.key} flexDirection="column">
            {renderLogItem(item, {
              width,
              color,
              trainImage,
              testImage,
              classNames: state.start?.classNames,
            })}
          </Box>
        )}
      </Static>
      {!state.start && !state.error ? (
        <Text dimColor>Loading the data set and setting up the backend…</Text>
      ) : null}
      {progress ? (
        <Box flexDirection="column" marginTop={1}>
          <EpochProgress progress={progress} width={width} color={color} />
          <LiveCharts loss={run.lossSeries} accuracy={run.accuracySeries} width={width} color={color} />
        </Box>
      ) : null}
      {state.status && !state.done && !state.error ? <Text dimColor>{state.status}</Text> : null}
      {state.stopping ? (
        <Text color={color ? 'yellow' : undefined}>
          Stopping{state.start?.command === 'train' ? ' after this batch' : ''}… (press q again to quit at
          once)
        </Text>
      ) : null}
      {interactive && state.start && !state.done && !state.error && !state.stopping ? (
        <Text dimColor>Press q to stop.</Text>
      ) : null}
      {state.done ? (
        <Box marginTop={1}>
          <Text bold color={color ? (state.done.aborted ? 'yellow' : 'green') : undefined}>
            {state.done.message}
          </Text>
        </Box>
      ) : null}
      {state.error ? (
        <Box marginTop={1}>
          <Text color={color ? 'red' : undefined}>Error: {state.error.message}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

function renderLogItem(
  item: LogItem,
  context: {
    width: number;
    color: boolean;
    trainImage: ((index: number) => Uint8Array) | undefined;
    testImage: ((index: number) => Uint8Array) | undefined;
    classNames: readonly string[] | undefined;
  },
) {
  const { width, color, trainImage, testImage, classNames } = context;
  switch (item.kind) {
    case 'header':
      return (
        <>
          <Header start={item.start} color={color} />
          {trainImage && item.start.sampleIndices.length > 0 ? (
            <SampleDigits
              title="Sample training images:"
              color={color}
              width={width}
              images={item.start.sampleIndices
                .slice(0, imagesPerRow(width < 30 ? width * 2 : width))
                .map((index) => ({ pixels: trainImage(index), caption: `#${index}` }))}
            />
          ) : null}
        </>
      );
    case 'model':
      return <ModelHeader model={item.model} color={color} />;
    case 'epoch':
      return <EpochRow epoch={item.epoch} heading={item.first} color={color} />;
    case 'evaluation':
      return (
        <Report
          evaluation={item.evaluation}
          testImage={testImage}
          color={color}
          width={width}
          {...(classNames ? { classNames } : {})}
        />
      );
    case 'note':
      return <Text>{item.text}</Text>;
  }
}
