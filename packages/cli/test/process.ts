import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { cliEnv, cliPath, repoRoot } from './helpers';

/** What a finished run of the CLI left behind. */
export interface Finished {
  /** The exit code, or null when a signal ended the process. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link startCli}. */
export interface StartOptions {
  readonly env?: Record<string, string | undefined>;
  /** A file to open as the CLI's stdout (e.g. /dev/full) instead of a pipe. */
  readonly stdoutFile?: string;
  /** Called with all stdout so far each time some arrives. */
  readonly onStdout?: (text: string, child: ChildProcess) => void;
  /** Called with all stderr so far each time some arrives. */
  readonly onStderr?: (text: string, child: ChildProcess) => void;
}

/**
 * Starts `node dist/cli.js ...args` as a real process (stdout a pipe, or the file given), and resolves
 * when it has ended. The callbacks may send signals or close our end of its stdout pipe.
 */
export function startCli(args: readonly string[], options: StartOptions = {}): Promise<Finished> {
  return spawnCli(args, options).finished;
}

/** {@link startCli}, also handing back the process (to signal it from outside the callbacks). */
export function spawnCli(
  args: readonly string[],
  options: StartOptions = {},
): { child: ChildProcess; finished: Promise<Finished> } {
  const fd = options.stdoutFile === undefined ? undefined : openSync(options.stdoutFile, 'w');
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: cliEnv(options.env),
    cwd: repoRoot,
    stdio: ['pipe', fd ?? 'pipe', 'pipe'],
  });
  if (fd !== undefined) closeSync(fd);
  const finished = new Promise<Finished>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, child);
    });
    // Once we close our end on purpose, reading from it fails: that is the point, not an error.
    child.stdout?.on('error', () => {});
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, finished };
}

/** Parses JSON lines (one event per line), ignoring a last line cut short. */
export function jsonLines<T = { type: string }>(text: string): T[] {
  const lines = text.split('\n').filter((line) => line !== '');
  const parsed: T[] = [];
  for (const line of lines) {
    try {
      parsed.push(JSON.parse(line) as T);
    } catch {
      // A line cut short when the process was ended at once.
    }
  }
  return parsed;
}
