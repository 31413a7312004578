import packageJson from '../package.json' with { type: 'json' };
import type { Command, CommandName } from './args/commands';
import { UsageError } from './args/parse';
import { MAIN_USAGE, parseTopLevel } from './args/top-level';
import { describeError } from './errors';
import { EXIT } from './exit-codes';
import { type GuardedStreams, guardStreams } from './io/streams';
import type { RunOutputs } from './output/outputs';
import type { CommandContext, CommandOutcome } from './run/context';
import { yieldToEventLoop } from '@mnist/data';
import { terminalSafe, terminalSafeMessage } from './render/terminal-safe';
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
  /**
   * Ends the process at once by `signal`'s default action, after a second interrupt. (process.exit would
   * wait for a read blocked in Node's thread pool, e.g. of a pipe no one writes to.)
   */
  readonly quitAtOnce?: (signal: NodeJS.Signals) => void;
}

/** What asked the run to stop. */
type StopReason = 'SIGINT' | 'SIGTERM' | 'key' | 'output';

/** What each command says on stderr when asked to stop (it stops at its next safe point). */
const STOPPING: Record<CommandName, string> = {
  train: 'stopping after the current batch',
  evaluate: 'stopping after the current chunk of images',
  predict: 'stopping after the current file',
  show: 'stopping',
  data: 'stopping',
  export: 'stopping before the file is written',
};

/**
 * Runs the CLI on `argv` (without node and the script) and resolves with the exit code (see
 * exit-codes.ts). Never calls process.exit itself, and never throws for a failed write: everything
 * printed goes through one guarded place (io/streams.ts).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const streams = guardStreams(io.stdout, io.stderr);
  const code = await runCommandLine(argv, io, streams);
  await streams.flush();
  const failure = streams.failure();
  if (failure === undefined || code === EXIT.interrupted || code === EXIT.terminated) return code;
  if (failure.kind === 'closed') return EXIT.outputClosed;
  streams.err(`mnist: ${terminalSafe(failure.message, { lines: true })}\n`);
  await streams.flush();
  return EXIT.failure;
}

async function runCommandLine(argv: readonly string[], io: CliIo, streams: GuardedStreams): Promise<number> {
  // The first argument alone answers --help, --version and unknown commands without loading tfjs.
  let top: ReturnType<typeof parseTopLevel>;
  try {
    top = parseTopLevel(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    streams.err(`mnist: ${terminalSafe(error.message, { lines: true })}\n\n${MAIN_USAGE}\n`);
    return EXIT.usage;
  }
  if (top.name === 'version') {
    streams.out(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (top.name === 'help' && top.command === undefined) {
    streams.out(`${MAIN_USAGE}\n`);
    return EXIT.ok;
  }
  const [{ parseCommandLine }, { usageFor }] = await Promise.all([
    import('./args/commands'),
    import('./args/usage'),
  ]);
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // Asked for JSON: the run's one event is the error, as for every other usage error (stderr says it too).
    const options = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length);
    if (options.includes('--json')) {
      streams.out(
        `${JSON.stringify({ type: 'error', message: error.message, code: 'USAGE', exitCode: EXIT.usage })}\n`,
      );
    }
    streams.err(
      `mnist: ${terminalSafe(error.message, { lines: true })}\n\n${usageFor(error.command as CommandName | undefined)}\n`,
    );
    return EXIT.usage;
  }
  if (command.name === 'help') {
    streams.out(`${usageFor(command.command)}\n`);
    return EXIT.ok;
  }
  if (command.name === 'version') {
    streams.out(`${VERSION}\n`);
    return EXIT.ok;
  }

  const json = 'json' in command.options && command.options.json === true;
  const streamed = command.name === 'train' || command.name === 'evaluate';
  const terminal = describeTerminal(io.stdout, io.env, json);
  // Commands that print a short answer (predict, show, data) never need the dashboard.
  const outputTerminal = streamed
    ? terminal
    : { ...terminal, kind: json ? ('json' as const) : ('lines' as const) };

  // Stopping: the first request stops at the next safe point, a second one quits at once.
  const controller = new AbortController();
  let stopReason: StopReason | undefined;
  let requests = 0;
  let outputs: RunOutputs | undefined;
  let forceQuit: () => void = () => {};
  let forcedBy: 'SIGINT' | 'SIGTERM' = 'SIGINT';
  const forced = new Promise<void>((resolve) => {
    forceQuit = resolve;
  });
  const stopCode = (reason: StopReason | undefined): number =>
    reason === 'SIGTERM'
      ? EXIT.terminated
      : reason === 'output'
        ? streams.failure()?.kind === 'closed'
          ? EXIT.outputClosed
          : EXIT.failure
        : EXIT.interrupted;
  const requestStop = (reason: StopReason) => {
    if (reason === 'output') {
      // Nowhere left to print: stop quietly (what is said about it is said once, at the end).
      stopReason ??= reason;
      controller.abort();
      return;
    }
    requests++;
    if (requests > 1) {
      forcedBy = reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
      forceQuit();
      return;
    }
    stopReason ??= reason;
    if (outputTerminal.kind !== 'dashboard') {
      streams.err(`mnist: ${STOPPING[command.name]} (interrupt again to quit at once)\n`);
    }
    outputs?.store.dispatch({ type: 'stop-requested' });
    controller.abort();
  };
  streams.onFailure(() => requestStop('output'));
  const removeSignalHandlers = io.onSignal?.((signal) =>
    requestStop(signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT'),
  );

  /** The command, then its outputs' end: what it printed, the report, the dashboard's last frame. */
  const runToTheEnd = async (): Promise<number> => {
    try {
      const report =
        command.name === 'train' || command.name === 'evaluate' ? command.options.report : undefined;
      if (report !== undefined) {
        // Checked before any work: a report that cannot be written must not cost a training run.
        const { checkFileDestination } = await import('./files/destinations');
        await checkFileDestination(report, `--report ${report}`);
      }
      const { createRunOutputs } = await import('./output/outputs');
      outputs = createRunOutputs({
        terminal: outputTerminal,
        streams,
        stdin: io.stdin,
        report,
        onStop: () => requestStop('key'),
      });
      const context: CommandContext = {
        sink: outputs.store.sink,
        signal: controller.signal,
        showImages: outputs.showImages,
        version: VERSION,
        print: streams.out,
        printError: streams.err,
        progress: outputs.progress,
        interactive: io.stdout.isTTY === true,
        color: terminal.color,
        width: terminal.width,
      };
      const outcome = await runCommand(command, context);
      const { failed } = await outputs.finish();
      if (outcome === 'stopped') return stopCode(stopReason);
      return outcome === 'failed' || failed ? EXIT.failure : EXIT.ok;
    } catch (error) {
      if (controller.signal.aborted && stopReason !== undefined) {
        // Stopped while loading or setting up: nothing failed, the user (or a closed output) stopped it.
        await outputs?.finish();
        return stopCode(stopReason);
      }
      const described = describeError(error);
      if (outputs !== undefined && (streamed || json)) {
        outputs.store.sink({
          type: 'error',
          message: described.message,
          code: described.code,
          exitCode: described.exitCode,
        });
      }
      await outputs?.finish();
      // The dashboard shows the error itself; everything else says it on stderr.
      if (outputs === undefined || outputTerminal.kind !== 'dashboard')
        streams.err(`mnist: ${terminalSafeMessage(described.message, described.quoted)}\n`);
      if (described.exitCode === EXIT.usage) streams.err(`\n${usageFor(command.name)}\n`);
      return described.exitCode;
    }
  };

  try {
    const ending = runToTheEnd();
    ending.catch(() => {}); // after a forced quit nobody waits for it any more
    const code = await Promise.race([ending, forced.then(() => undefined)]);
    // Two signals sent together reach Node one after the other, and the promise jobs set off by the first
    // run in between: the run may stop at its safe point before the second is seen. One turn of the event
    // loop lets a second signal already delivered arrive before the way to end is chosen.
    if (requests === 1) await yieldToEventLoop();
    if (requests > 1 || code === undefined) {
      // Quit at once: restore the terminal, say nothing more, end by the signal itself.
      await outputs?.finish();
      await streams.flush();
      io.quitAtOnce?.(forcedBy);
      return stopCode(forcedBy);
    }
    return code;
  } finally {
    removeSignalHandlers?.();
  }
}

/** Runs one command; each is loaded on demand, so that only what it needs is imported. */
async function runCommand(
  command: Exclude<Command, { name: 'help' | 'version' }>,
  context: CommandContext,
): Promise<CommandOutcome> {
  switch (command.name) {
    case 'train':
      return (await import('./commands/train')).runTrain(command.options, context);
    case 'evaluate':
      return (await import('./commands/evaluate')).runEvaluate(command.options, context);
    case 'predict':
      return (await import('./commands/predict')).runPredict(command.options, context);
    case 'show':
      return (await import('./commands/show')).runShow(command.options, context);
    case 'data':
      return (await import('./commands/data')).runData(command.options, context);
    case 'export':
      return (await import('./commands/export')).runExport(command.options, context);
  }
}
