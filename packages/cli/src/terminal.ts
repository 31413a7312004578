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

/** True when `TERM=dumb`: a terminal that understands no escape sequences (no colour, no cursor movement). */
export function isDumbTerminal(env: Env): boolean {
  return env.TERM === 'dumb';
}

/**
 * Whether to colour, as Node's own streams decide: `FORCE_COLOR` set to anything but `0` or `false` (even empty)
 * forces colour, also into a pipe, and `FORCE_COLOR=0`/`false` turns it off; otherwise colour needs a terminal
 * (`tty`), no `NO_COLOR` (https://no-color.org) and a `TERM` other than `dumb`.
 */
export function colorWanted(tty: boolean, env: Env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return tty && !noColorRequested(env) && !isDumbTerminal(env);
}

/**
 * Chooses the output: `--json` wins; otherwise the Ink dashboard only for an interactive terminal that can take it
 * (stdout is a TTY, no CI, `TERM` not `dumb`); lines for pipes, files, CI logs and dumb terminals. Colour as
 * {@link colorWanted} says, never in JSON.
 */
export function describeTerminal(
  stdout: { isTTY?: boolean; columns?: number },
  env: Env,
  json: boolean,
): TerminalInfo {
  const tty = stdout.isTTY === true;
  const kind: OutputKind = json ? 'json' : tty && !isCI(env) && !isDumbTerminal(env) ? 'dashboard' : 'lines';
  const columns = stdout.columns && stdout.columns > 0 ? stdout.columns : Number(env.COLUMNS) || 80;
  return { kind, color: !json && colorWanted(tty, env), width: Math.max(20, columns) };
}
