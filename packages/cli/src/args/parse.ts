/**
 * A small, strict command-line parser. Written here rather than using node:util's parseArgs so that
 * `--epochs -1` reaches our validation (and says "must be a positive integer") instead of failing with
 * a generic "ambiguous argument" message, and so every error is one short line.
 */

/** A command-line mistake: the CLI prints the message and the command's usage, then exits with code 2. */
export class UsageError extends Error {
  /** The command whose usage should be printed with the message (undefined = the top-level usage). */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/**
 * How one option is read and documented: `string` options take a value, `boolean` options are flags
 * (`--no-x` negates). The help text is generated from these, so each default is written once.
 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** One-letter alias, e.g. `h` for `-h`. */
  readonly short?: string;
  /** May be given several times; the values are collected in order. */
  readonly multiple?: boolean;
  /** The value used when the option is not given (as if typed on the command line); shown in the help. */
  readonly default?: string;
}

/** An option as a command declares it: how it is read, and how the help documents it. */
export interface DocumentedOptionSpec extends OptionSpec {
  /** The value's placeholder in the help, e.g. `N` or `DIR`. */
  readonly value?: string;
  /** What the option does. */
  readonly help: string;
  /** How the help describes a default that is not one literal value (e.g. "the model's recipe"). */
  readonly defaultHelp?: string;
}

/** The options a command accepts, by long name (without the dashes). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** A command's options with their documentation. */
export type DocumentedOptionSpecs = Readonly<Record<string, DocumentedOptionSpec>>;

/** The raw result: option values by long name, and the positional arguments in order. */
export interface ParsedArgs {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

/** Edit distance (insertions, deletions, substitutions, swaps of neighbours) between two words. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The known name a mistyped one most likely meant, as git and npm suggest: the closest by edit distance when it
 * is within a third of the name's length (at least 1), or the one the typed name begins or ends; else undefined.
 */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const distance = editDistance(typed, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(typed.length / 3))) return best;
  if (typed.length < 3) return undefined;
  return known.find(
    (name) =>
      name.length >= 3 && (name.startsWith(typed) || typed.startsWith(name) || typed.endsWith(`-${name}`)),
  );
}

/**
 * Parses `argv` (without the node and script paths) against `specs`.
 * Accepts `--name value`, `--name=value`, `-n value`, `--flag`, `--no-flag` and `--` (end of options).
 * @throws UsageError for unknown options, missing values and values given to flags.
 */
export function parseArgv(argv: readonly string[], specs: OptionSpecs, command?: string): ParsedArgs {
  const values: ParsedArgs['values'] = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) if (spec.short) byShort.set(spec.short, name);

  const isKnownOption = (token: string): boolean => {
    if (token.startsWith('--')) {
      const name = token.slice(2).split('=')[0] ?? '';
      return name in specs || (name.startsWith('no-') && specs[name.slice(3)]?.type === 'boolean');
    }
    return token.length === 2 && token.startsWith('-') && byShort.has(token.slice(1));
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-' || /^-\d/.test(token)) {
      positionals.push(token);
      continue;
    }
    let name: string;
    let inlineValue: string | undefined;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      name = eq === -1 ? token.slice(2) : token.slice(2, eq);
      inlineValue = eq === -1 ? undefined : token.slice(eq + 1);
    } else {
      const long = byShort.get(token.slice(1));
      if (token.length !== 2 || long === undefined) throw new UsageError(`unknown option ${token}`, command);
      name = long;
    }
    const spec = specs[name];
    if (spec === undefined && name.startsWith('no-') && specs[name.slice(3)]?.type === 'boolean') {
      if (inlineValue !== undefined) throw new UsageError(`--${name} takes no value`, command);
      values[name.slice(3)] = false;
      continue;
    }
    if (spec === undefined) {
      const near = nearest(name, Object.keys(specs));
      throw new UsageError(
        `unknown option --${name}${near === undefined ? '' : ` (did you mean --${near}?)`}`,
        command,
      );
    }
    if (spec.type === 'boolean') {
      if (inlineValue !== undefined) throw new UsageError(`--${name} takes no value`, command);
      values[name] = true;
      continue;
    }
    let value = inlineValue;
    if (value === undefined) {
      const next = argv[i + 1];
      // A following known option means the value was forgotten; anything else (even "-1") is the value,
      // so that validation can say what is wrong with it.
      if (next === undefined || isKnownOption(next)) throw new UsageError(`--${name} needs a value`, command);
      value = next;
      i++;
    }
    if (spec.multiple) {
      const previous = values[name];
      values[name] = [...(Array.isArray(previous) ? previous : []), value];
    } else {
      values[name] = value;
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (values[name] === undefined && spec.default !== undefined) values[name] = spec.default;
  }
  return { values, positionals };
}

/** Column where the options' descriptions start in the help. */
const HELP_COLUMN = 25;

/**
 * The "Options:" lines of a command's help, generated from its specs: flags, placeholder, what the option
 * does and its default, e.g. `  -e, --epochs N         epochs per model (default: 5)`.
 */
export function formatOptionHelp(specs: DocumentedOptionSpecs): string[] {
  return Object.entries(specs).map(([name, spec]) => {
    const flags = `  ${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    const defaultText = spec.defaultHelp ?? spec.default;
    const text = `${spec.help}${defaultText === undefined ? '' : ` (default: ${defaultText})`}`;
    return `${flags.length < HELP_COLUMN - 1 ? flags.padEnd(HELP_COLUMN) : `${flags}  `}${text}`;
  });
}

/** Reads a whole number in [min, max]; `what` names the option in the message. */
export function parseInteger(
  text: string,
  what: string,
  { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {},
  command?: string,
): number {
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range =
      min === 1 && max === Number.MAX_SAFE_INTEGER
        ? 'a positive integer'
        : min === 0 && max === Number.MAX_SAFE_INTEGER
          ? 'a whole number ≥ 0'
          : `a whole number from ${min} to ${max}`;
    throw new UsageError(`${what} must be ${range}, got ${JSON.stringify(text)}`, command);
  }
  return value;
}

/**
 * Reads a finite number strictly greater than 0, at least `min` (when given: a smaller one is as good as 0, e.g. a
 * learning rate of 1e-320 that trains nothing) and at most `max`.
 */
export function parsePositiveNumber(
  text: string,
  what: string,
  { min, max = Number.MAX_VALUE }: { min?: number; max?: number } = {},
  command?: string,
): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value <= 0 || value < (min ?? 0) || value > max) {
    const range = min === undefined ? 'a number > 0' : `a number from ${min} to ${max}`;
    throw new UsageError(
      `${what} must be ${range}${min === undefined && max < Number.MAX_VALUE ? ` and ≤ ${max}` : ''}, got ${JSON.stringify(text)}`,
      command,
    );
  }
  return value;
}

/** Checks that `text` is one of `choices` (case-sensitive). */
export function parseChoice<T extends string>(
  text: string,
  what: string,
  choices: readonly T[],
  command?: string,
): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(
      `${what} must be one of ${choices.join(', ')}, got ${JSON.stringify(text)}`,
      command,
    );
  }
  return text as T;
}

/** `a, b or c` (or `a, b and c`): a list for the help. */
export function formatChoices(choices: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  return choices.length <= 1
    ? (choices[0] ?? '')
    : `${choices.slice(0, -1).join(', ')} ${conjunction} ${choices.at(-1)}`;
}
