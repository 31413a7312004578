import { UsageError } from './args/parse';

/** A failure the CLI explains itself: the message names the thing and what to do. */
export class CliError extends Error {
  readonly exitCode: 1 | 2;
  readonly code: string | undefined;
  constructor(message: string, options: { exitCode?: 1 | 2; code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
    this.code = options.code;
  }
}

/** What to tell the user about an error, and the exit code. */
export interface ErrorReport {
  readonly message: string;
  readonly code: string | undefined;
  readonly exitCode: 1 | 2;
}

/**
 * Turns anything thrown into a report: usage errors exit 2, everything else 1. Errors from the
 * libraries already name the file and the fix; their `code` (e.g. CHECKSUM_MISMATCH) is kept.
 */
export function describeError(error: unknown): ErrorReport {
  if (error instanceof UsageError) return { message: error.message, code: 'USAGE', exitCode: 2 };
  if (error instanceof CliError)
    return { message: error.message, code: error.code, exitCode: error.exitCode };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      message: error.message || error.name,
      code: typeof code === 'string' ? code : undefined,
      exitCode: 1,
    };
  }
  return { message: String(error), code: undefined, exitCode: 1 };
}
