import { UsageError } from './args/parse';

/** A failure the CLI explains itself: the message names the thing and what to do. */
export class CliError extends Error {
  readonly exitCode: 1 | 2;
  readonly code: string | undefined;
  /** The paths the message quotes as given (file and directory names), for escaping them whole in a terminal. */
  readonly quoted: readonly string[];
  constructor(
    message: string,
    options: { exitCode?: 1 | 2; code?: string; cause?: unknown; quoted?: readonly string[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
    this.code = options.code;
    this.quoted = options.quoted ?? [];
  }
}

/** A usage-style CliError (exit code 2, the usage is printed after it): a flag's value cannot work. */
export function flagError(message: string, cause?: unknown): CliError {
  return new CliError(message, { exitCode: 2, code: 'USAGE', ...(cause === undefined ? {} : { cause }) });
}

/** What to tell the user about an error, and the exit code. */
export interface ErrorReport {
  readonly message: string;
  readonly code: string | undefined;
  readonly exitCode: 1 | 2;
  /** The paths or URLs the message quotes (the libraries' errors name their `file`), for escaping them whole. */
  readonly quoted: readonly string[];
}

/**
 * The libraries speak to programmers ("pass { dir }", "initBackend('wasm')"); the CLI user knows flags.
 * Each phrase of the libraries' messages that names an API option, with the flag that does the same.
 */
const API_TO_CLI: ReadonlyArray<readonly [RegExp, string]> = [
  [/pass \{ dir \}/g, 'use --data-dir DIR'],
  [/the dir option/g, '--data-dir'],
  [/leave the download option on and (\w+) unset/g, 'leave out --offline and unset $1'],
  [/downloads not among the sources searched/g, 'not tried (--data-dir reads only that folder)'],
  [/turned off \(download: false\)/g, 'turned off (--offline)'],
  [/\(initBackend option\)/g, '(--backend)'],
  [/initBackend\('(\w+)'\)/g, '--backend $1'],
  // A model's advice: the CLI saves with `mnist train --save`, never by calling saveModel().
  [/saveModel\(model, "([^"]*)"\)/g, 'mnist train --save $1'],
  [/the directory saveModel\(\) wrote/g, 'a directory mnist train --save wrote'],
  [/a directory written by saveModel\(\)/g, 'a directory mnist train --save wrote'],
  [/a model saved by saveModel\(\), or build one with createModel\(\)/g, 'a model mnist train --save wrote'],
  [/(\(saved by )saveModel\(\)/g, '$1mnist train --save'],
  [/(again) with saveModel\(\)/gi, '$1 with mnist train --save'],
];

/** A library message in the CLI's words: API option names replaced by the flags that set them. */
export function cliWording(message: string): string {
  return API_TO_CLI.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message);
}

/**
 * Turns anything thrown into a report: usage errors exit 2, everything else 1. Errors from the
 * libraries already name the file and the fix; their `code` (e.g. CHECKSUM_MISMATCH) is kept and their
 * wording is mapped to the CLI's flags ({@link cliWording}).
 */
export function describeError(error: unknown): ErrorReport {
  if (error instanceof UsageError) return { message: error.message, code: 'USAGE', exitCode: 2, quoted: [] };
  if (error instanceof CliError)
    return { message: error.message, code: error.code, exitCode: error.exitCode, quoted: error.quoted };
  if (error instanceof Error) {
    const { code, file } = error as { code?: unknown; file?: unknown };
    return {
      message: cliWording(error.message || error.name),
      code: typeof code === 'string' ? code : undefined,
      exitCode: 1,
      quoted: typeof file === 'string' ? [file] : [],
    };
  }
  return { message: String(error), code: undefined, exitCode: 1, quoted: [] };
}
