import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASETS, FILE_ROLES, loadMnist } from '@mnist/data';
import { findMnist, gzippedDir } from '@mnist/test-support';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const repoRoot = resolve(here, '../../..');
/** The built binary, as users run it. */
export const cliPath = join(repoRoot, 'packages/cli/dist/cli.js');
/** The verified MNIST files, found as every test finds them: $MNIST_DATA_DIR (CI), then @mnist/data's search order. */
export const mnistDir = (await findMnist(loadMnist)).dir;

/** A folder with MNIST's four `.gz` files (gzipped copies when {@link mnistDir} holds them uncompressed). */
export function mnistGzDir(): string {
  return gzippedDir(
    mnistDir,
    FILE_ROLES.map((role) => DATASETS.mnist.files[role]),
  );
}

/** The environment of a CLI run: MNIST from the folder the tests found, never a download, no CI, no colour unless asked. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MNIST_DATA_DIR: mnistDir, MNIST_DOWNLOAD: '0', ...extra };
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION', 'NO_COLOR', 'FORCE_COLOR', 'COLUMNS']) {
    if (!(key in extra)) delete env[key];
  }
  for (const [key, value] of Object.entries(extra)) if (value === undefined) delete env[key];
  return env;
}

/** What a finished run printed. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  /** Called with all stdout so far each time some arrives; may write to stdin or send signals. */
  readonly onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
  readonly cwd?: string;
}

/** Runs `node dist/cli.js ...args` with pipes (not a terminal) and collects its output. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runProcess(process.execPath, [cliPath, ...args], options);
}

/**
 * Runs the CLI in a real pseudo-terminal through util-linux `script`, with the given terminal size.
 * stdout then holds exactly what the terminal received, escape codes included.
 */
export function runCliInTerminal(
  args: readonly string[],
  options: RunOptions & { readonly columns?: number; readonly rows?: number } = {},
): Promise<RunResult> {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const command = `stty cols ${options.columns ?? 100} rows ${options.rows ?? 50}; exec ${quote(process.execPath)} ${[
    cliPath,
    ...args,
  ]
    .map(quote)
    .join(' ')}`;
  return runProcess('script', ['-qfec', command, '/dev/null'], {
    ...options,
    env: { TERM: 'xterm-256color', ...options.env },
  });
}

function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      env: cliEnv(options.env),
      cwd: options.cwd ?? repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** The escape character that starts ANSI sequences. */
export const ESC = '\u001b';

/** Removes ANSI escape sequences (colours, cursor movement) from terminal output. */
const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]|${ESC}\\][^\u0007]*\u0007`, 'g');
export const stripAnsi = (text: string): string => text.replace(ANSI, '');
