import { useInput, useStdin, useStdout } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { RunStore } from '../dashboard/store';
import { Dashboard } from './Dashboard';

/** Props of {@link DashboardApp}. */
export interface DashboardAppProps {
  readonly store: RunStore;
  /** Called each time the user presses q, Esc or Ctrl-C: the first asks to stop, the second quits at once. */
  readonly onStop: () => void;
  readonly color: boolean;
  readonly trainImage?: (index: number) => Uint8Array;
  readonly testImage?: (index: number) => Uint8Array;
}

/** The live dashboard: follows the run's store and the terminal's width, and listens for q / Esc / Ctrl-C. */
export function DashboardApp({ store, onStop, color, trainImage, testImage }: DashboardAppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const width = useTerminalWidth();
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (input === 'q' || input === 'Q' || (key.ctrl && input === 'c') || key.escape) {
        if (!store.getState().stopping) store.dispatch({ type: 'stop-requested' });
        onStop();
      }
    },
    { isActive: isRawModeSupported === true && !state.done && !state.error },
  );
  return (
    <Dashboard
      state={state}
      width={width}
      color={color}
      interactive={isRawModeSupported === true}
      {...(trainImage ? { trainImage } : {})}
      {...(testImage ? { testImage } : {})}
    />
  );
}

/** The terminal's width in columns, following resizes (80 when unknown). */
export function useTerminalWidth(): number {
  const { stdout } = useStdout();
  const [width, setWidth] = useState(stdout.columns || 80);
  useEffect(() => {
    const onResize = () => setWidth(stdout.columns || 80);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return width;
}
