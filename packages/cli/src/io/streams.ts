import { Writable } from 'node:stream';

/** Why stdout can no longer be written. */
export interface OutputFailure {
  /** `closed`: the reader went away (EPIPE, e.g. `| head -1`): end quietly. `failed`: any other error. */
  readonly kind: 'closed' | 'failed';
  /** The system error code, e.g. `ENOSPC`. */
  readonly code: string | undefined;
  /** One line for the user (only said for `failed`). */
  readonly message: string;
}

/**
 * The one place every byte the CLI prints goes through: answers and events on stdout, messages on stderr,
 * and the Ink dashboard (through {@link GuardedStreams.terminal}). A failed write never throws or crashes
 * the process: the first stdout failure is recorded and announced, later stdout writes are dropped.
 * Failures of stderr are dropped silently: there is nowhere left to report them.
 */
export interface GuardedStreams {
  /** Writes to stdout (dropped once stdout has failed). */
  readonly out: (text: string) => void;
  /** Writes to stderr (dropped once stderr has failed). */
  readonly err: (text: string) => void;
  /** A stream for Ink: writes go through {@link out}; size, TTY-ness and resizes are those of stdout. */
  readonly terminal: () => NodeJS.WriteStream;
  /** Resolves once every write so far has been accepted or has failed, so that the failure is known. */
  readonly flush: () => Promise<void>;
  /** The first stdout failure, if any. */
  readonly failure: () => OutputFailure | undefined;
  /** Called once, on the first stdout failure (the run should stop). */
  readonly onFailure: (listener: (failure: OutputFailure) => void) => void;
}

/** Wraps the process's stdout and stderr (or any writable streams) as {@link GuardedStreams}. */
export function guardStreams(stdout: NodeJS.WriteStream, stderr: NodeJS.WritableStream): GuardedStreams {
  let failure: OutputFailure | undefined;
  let stderrBroken = false;
  let pending = 0;
  let settled: (() => void)[] = [];
  const listeners: ((failure: OutputFailure) => void)[] = [];

  const done = () => {
    pending--;
    if (pending === 0) {
      const waiting = settled;
      settled = [];
      for (const resolve of waiting) resolve();
    }
  };
  const failStdout = (error: NodeJS.ErrnoException) => {
    if (failure !== undefined) return;
    failure = describeWriteError(error);
    for (const listener of listeners) listener(failure);
  };
  // Errors also arrive as 'error' events (and from writes the CLI did not make, such as console output):
  // a listener keeps them from crashing the process with an uncaught stack trace.
  stdout.on('error', failStdout);
  stderr.on('error', () => {
    stderrBroken = true;
  });

  const out = (text: string) => {
    if (failure !== undefined || text === '') return;
    pending++;
    try {
      stdout.write(text, (error) => {
        if (error) failStdout(error);
        done();
      });
    } catch (error) {
      failStdout(error as NodeJS.ErrnoException);
      done();
    }
  };
  const err = (text: string) => {
    if (stderrBroken || text === '') return;
    pending++;
    try {
      stderr.write(text, (error) => {
        if (error) stderrBroken = true;
        done();
      });
    } catch {
      stderrBroken = true;
      done();
    }
  };

  let proxy: NodeJS.WriteStream | undefined;
  const terminal = (): NodeJS.WriteStream => {
    proxy ??= terminalProxy(stdout, out);
    return proxy;
  };

  return {
    out,
    err,
    terminal,
    flush: () =>
      pending === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            settled.push(resolve);
          }),
    failure: () => failure,
    onFailure: (listener) => {
      listeners.push(listener);
    },
  };
}

/** The one line said about a stdout failure; EPIPE (the reader is gone) is the quiet kind. */
export function describeWriteError(error: NodeJS.ErrnoException): OutputFailure {
  const code = error.code;
  if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') {
    return { kind: 'closed', code, message: 'stdout was closed by its reader' };
  }
  const reason = code === 'ENOSPC' ? 'no space left on the device' : (error.message ?? String(error));
  return {
    kind: 'failed',
    code,
    message: `cannot write to stdout: ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}; the output is incomplete`,
  };
}

/** A writable that Ink can render to: writes go to `write`, and it looks like `stdout` (size, TTY, resizes). */
function terminalProxy(stdout: NodeJS.WriteStream, write: (text: string) => void): NodeJS.WriteStream {
  const proxy = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      callback();
    },
  });
  for (const key of ['isTTY', 'columns', 'rows'] as const) {
    Object.defineProperty(proxy, key, { get: () => stdout[key], enumerable: true });
  }
  stdout.on('resize', () => proxy.emit('resize'));
  return proxy as unknown as NodeJS.WriteStream;
}
