import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ALLOW_SKIP_ENV,
  allowedSkips,
  MissingRequirementError,
  REQUIRE_ALL_ENV,
  requireAll,
  skipUnless,
} from './requirements.js';

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

  it(`still skips, saying so, what ${ALLOW_SKIP_ENV} names (CI's list of what it cannot provide), and only that`, () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const tensorflow = { name: 'tensorflow', found: false, reason: 'no libtensorflow' } as const;
    const env = { [REQUIRE_ALL_ENV]: '1', [ALLOW_SKIP_ENV]: 'TensorFlow, fashion-mnist' };
    expect(skipUnless(tensorflow, env)).toBe('tensorflow missing: no libtensorflow');
    expect(warn).toHaveBeenCalledWith(
      'skipped (MNIST_ALLOW_SKIP=TensorFlow, fashion-mnist allows it): tensorflow missing: no libtensorflow',
    );
    expect(() => skipUnless(missing, env)).toThrow(MissingRequirementError);
    // Without MNIST_REQUIRE_ALL the list changes nothing: every missing requirement is a plain skip.
    expect(skipUnless(missing, { [ALLOW_SKIP_ENV]: 'tensorflow' })).toBe(
      'Chromium missing: install it with apt',
    );
    expect(skipUnless({ name: 'tensorflow', found: true }, env)).toBe(false);
  });

  it('reads the list of allowed skips as comma-separated names, any case', () => {
    expect([...allowedSkips({ [ALLOW_SKIP_ENV]: ' Tensorflow ,,chromium' })]).toEqual([
      'tensorflow',
      'chromium',
    ]);
    expect(allowedSkips({}).size).toBe(0);
  });

  it('reads the variable as a yes/no flag', () => {
    expect(requireAll({ [REQUIRE_ALL_ENV]: 'true' })).toBe(true);
    expect(requireAll({ [REQUIRE_ALL_ENV]: '0' })).toBe(false);
    expect(requireAll({})).toBe(false);
  });
});
