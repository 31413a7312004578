import packageJson from '../package.json' with { type: 'json' };
import { type Command, parseCommandLine } from './args/commands';
import { UsageError } from './args/parse';
import { usageFor } from './args/usage';
import { describeError } from './errors';
import type { RunOutput } from './output/controller';
import type { RunContext } from './run/context';
import { describeTerminal, type Env } from './terminal';

/** The CLI's version, from its package.json. */
export const VERSION: string = packageJson.version;

/** The process's streams and environment, passed in so that tests and embedders can supply their own. */
export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: Env;
  /** Registers signal handlers (SIGINT, SIGTERM); returns a function that removes them. */
  readonly onSignal?: (handler: (signal: NodeJS.Signals) => void) => () => void;
}

/**
 * Runs the CLI on `argv` (without node and the script) and resolves with the exit code:
 * 0 success, 1 failure or stopped by the user, 2 usage error. Never calls process.exit itself.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(
      `mnist: ${error.message}\n\n${usageFor(error.command as Parameters<typeof usageFor>[0])}\n`,
    );
    return 2;
  }
  if (command.name === 'help') {
    io.stdout.write(`${usageFor(command.command)}\n`);
    return 0;
  }
  if (command.name === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }

  const json = 'json' in command.options && command.options.json === true;
  const streamed = command.name === 'train' || command.name === 'evaluate';
  const terminal = describeTerminal(io.stdout, io.env, json);
  // Commands that print a short answer (predict, show, data) never need the dashboard.
  const outputTerminal = streamed
    ? terminal
    : { ...terminal, kind: json ? ('json' as const) : ('lines' as const) };
  const controller = new AbortController();
  const { createRunOutput } = await import('./output/controller');
  const output: RunOutput = createRunOutput(outputTerminal, io, () => controller.abort());
  let interrupts = 0;
  let forceQuit: (code: number) => void = () => {};
  const forced = new Promise<number>((resolve) => {
    forceQuit = resolve;
  });
  const removeSignalHandlers = io.onSignal?.(() => {
    interrupts++;
    if (interrupts === 1) {
      if (outputTerminal.kind !== 'dashboard') {
        io.stderr.write('mnist: stopping after the current batch (interrupt again to quit at once)\n');
      }
      controller.abort();
    } else {
      // A second interrupt: the user does not want to wait for the current batch.
      forceQuit(130);
    }
  });
  const context: RunContext = {
    sink: output.sink,
    signal: controller.signal,
    images: output.images,
    state: output.state,
    version: VERSION,
    print: (text) => {
      io.stdout.write(text);
    },
    progress: (text) => {
      io.stderr.write(`mnist: ${text}\n`);
    },
    color: terminal.color,
    width: terminal.width,
  };

  try {
    const run = (async () => {
      // Loaded on demand: `--help`, `--version` and usage errors answer without loading tfjs.
      switch (command.name) {
        case 'train':
          return (await import('./run/train')).runTrain(command.options, context);
        case 'evaluate':
          return (await import('./commands/evaluate')).runEvaluate(command.options, context);
        case 'predict':
          return (await import('./commands/predict')).runPredict(command.options, context);
        case 'show':
          return (await import('./commands/show')).runShow(command.options, context);
        case 'data':
          return (await import('./commands/data')).runData(command.options, context);
      }
    })();
    const code = await Promise.race([run, forced]);
    await output.finish();
    return code;
  } catch (error) {
    const report = describeError(error);
    if (streamed || json) {
      output.sink({ type: 'error', message: report.message, code: report.code, exitCode: report.exitCode });
    }
    await output.finish();
    if (outputTerminal.kind !== 'dashboard') io.stderr.write(`mnist: ${report.message}\n`);
    if (report.exitCode === 2) io.stderr.write(`\n${usageFor(command.name)}\n`);
    return report.exitCode;
  } finally {
    removeSignalHandlers?.();
  }
}
