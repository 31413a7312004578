import { afterEach, describe, expect, it, vi } from 'vitest';
import { MissingRequirementError, REQUIRE_ALL_ENV, requireAll, skipUnless } from './requirements.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('skipUnless', () => {
  const missing = { name: 'Chromium', found: false, reason: 'install it with apt' } as const;

  it('runs the tests when the requirement is there', () => {
    expect(skipUnless({ name: 'Chromium', found: true }, {})).toBe(false);
  });

  it('skips with the reason, and prints it', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(skipUnless(missing, {})).toBe('Chromium missing: install it with apt');
    expect(warn).toHaveBeenCalledWith('skipped: Chromium missing: install it with apt');
  });

  it(`fails instead when ${REQUIRE_ALL_ENV}=1`, () => {
    expect(() => skipUnless(missing, { [REQUIRE_ALL_ENV]: '1' })).toThrow(MissingRequirementError);
    expect(() => skipUnless(missing, { [REQUIRE_ALL_ENV]: '1' })).toThrow(
      /Chromium missing: install it with apt \(MNIST_REQUIRE_ALL=1 turns this skip into a failure\)/,
    );
  });

  it('reads the variable as a yes/no flag', () => {
    expect(requireAll({ [REQUIRE_ALL_ENV]: 'true' })).toBe(true);
    expect(requireAll({ [REQUIRE_ALL_ENV]: '0' })).toBe(false);
    expect(requireAll({})).toBe(false);
  });
});
