/**
 * The CLI's exit codes, one table for the code, the help and the README. A run that something stopped
 * exits like a Unix tool that the matching signal ended: 128 + the signal's number.
 */
export const EXIT = {
  /** Everything asked for was done. */
  ok: 0,
  /** A failure: data or model missing or corrupt, an unreadable image, an output that cannot be written. */
  failure: 1,
  /** A usage error: unknown command or option, bad value, a --save/--report path that cannot work. */
  usage: 2,
  /** Stopped by you: Ctrl-C or SIGINT, or q / Esc in the dashboard (128 + SIGINT's 2). */
  interrupted: 130,
  /** stdout was closed before the end, e.g. `mnist train | head -1` (128 + SIGPIPE's 13); nothing is printed. */
  outputClosed: 141,
  /** Stopped by SIGTERM (128 + 15). */
  terminated: 143,
} as const;

/** One line for the help: every exit code and what it means. */
export const EXIT_CODES_HELP = `Exit codes: 0 success, 1 failure, 2 usage error, 130 stopped by you (Ctrl-C, q),
            141 stdout closed early (| head), 143 stopped by SIGTERM.`;
