// Numbers from the command line of the package's scripts and benchmarks: a typo must stop the run with the
// flag's name, not train silently with NaN (a NaN seed becomes 0, a NaN count an empty set).

/** `text` as a whole number in [min, max], or an error naming `--flag` and what it takes. */
export function wholeNumber(flag: string, text: string | undefined, min = 0, max = 2 ** 32 - 1): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${flag} must be a whole number from ${min} to ${max}; got '${String(text)}'.`);
  }
  return value;
}

/** `text` as a finite number above 0 and at most `max` (rates, fractions), or an error naming `--flag`. */
export function positiveNumber(flag: string, text: string | undefined, max = Number.MAX_VALUE): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > max) {
    const range = max === Number.MAX_VALUE ? 'above 0' : `above 0 and at most ${max}`;
    throw new Error(`--${flag} must be a number ${range}; got '${String(text)}'.`);
  }
  return value;
}

/** The script's own arguments: `pnpm run script -- --flag` passes a leading `--` through, which is dropped. */
export function scriptArgs(argv: readonly string[] = process.argv.slice(2)): string[] {
  return argv[0] === '--' ? argv.slice(1) : [...argv];
}
