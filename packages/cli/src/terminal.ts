/** How the CLI decides between the Ink dashboard, plain lines and JSON, and whether to use colour. */

/** Environment variables, as in `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The output style of a run. */
export type OutputKind = 'dashboard' | 'lines' | 'json';

/** What the terminal allows. */
export interface TerminalInfo {
  readonly kind: OutputKind;
  readonly color: boolean;
  readonly width: number;
}

/** True when a CI system is detected (`CI` set to anything but `0`/`false`, or `CONTINUOUS_INTEGRATION`). */
export function isCI(env: Env): boolean {
  const ci = env.CI;
  if (ci !== undefined) return ci !== '0' && ci.toLowerCase() !== 'false';
  return env.CONTINUOUS_INTEGRATION !== undefined;
}

/** True when `NO_COLOR` is set to a non-empty value (https://no-color.org). */
export function noColorRequested(env: Env): boolean {
  return (env.NO_COLOR ?? '') !== '';
}

/**
 * Chooses the output: `--json` wins; otherwise the Ink dashboard only for an interactive terminal
 * (stdout is a TTY and no CI); lines for pipes, files and CI logs. Colour only on a TTY without NO_COLOR.
 */
export function describeTerminal(
  stdout: { isTTY?: boolean; columns?: number },
  env: Env,
  json: boolean,
): TerminalInfo {
  const tty = stdout.isTTY === true;
  const kind: OutputKind = json ? 'json' : tty && !isCI(env) ? 'dashboard' : 'lines';
  const columns = stdout.columns && stdout.columns > 0 ? stdout.columns : Number(env.COLUMNS) || 80;
  return { kind, color: !json && tty && !noColorRequested(env), width: Math.max(20, columns) };
}
