// The helpers every script and benchmark of the package shares: numeric flags. (Their whole-or-nothing writes are
// @mnist/data's writeFileAtomicallySync, tested there.)
import { describe, expect, it } from 'vitest';
import { positiveNumber, scriptArgs, wholeNumber } from './flags.js';

describe('numeric flags', () => {
  it('wholeNumber takes whole numbers in range and names the flag otherwise', () => {
    expect(wholeNumber('seed', '42')).toBe(42);
    expect(wholeNumber('train', '60000', 1, 60_000)).toBe(60_000);
    for (const text of ['', ' ', 'abc', '1.5', '-1', 'NaN', 'Infinity', '4294967296', undefined]) {
      expect(() => wholeNumber('seed', text)).toThrow(
        `--seed must be a whole number from 0 to 4294967295; got '${String(text)}'.`,
      );
    }
    expect(() => wholeNumber('train', '0', 1, 60_000)).toThrow(
      /--train must be a whole number from 1 to 60000/,
    );
  });

  it('positiveNumber takes finite numbers above 0 up to its bound', () => {
    expect(positiveNumber('lr', '0.002')).toBe(0.002);
    expect(positiveNumber('decay', '1', 1)).toBe(1);
    for (const text of ['0', '-0.1', 'abc', '', 'Infinity', 'NaN', undefined]) {
      expect(() => positiveNumber('lr', text)).toThrow(
        `--lr must be a number above 0; got '${String(text)}'.`,
      );
    }
    expect(() => positiveNumber('decay', '1.01', 1)).toThrow(
      "--decay must be a number above 0 and at most 1; got '1.01'.",
    );
  });

  it("scriptArgs drops the leading '--' pnpm passes through, and only that", () => {
    expect(scriptArgs(['--', '--epochs', '2'])).toEqual(['--epochs', '2']);
    expect(scriptArgs(['--epochs', '2', '--', 'x'])).toEqual(['--epochs', '2', '--', 'x']);
    expect(scriptArgs([])).toEqual([]);
  });
});
