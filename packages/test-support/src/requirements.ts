// What only the system can provide (a browser, a Debian data package): tests that need it are skipped with the
// reason printed, never silently, and CI turns those skips into failures.

/** The environment variable that turns every "skipped: missing X" into a failure (CI sets it). */
export const REQUIRE_ALL_ENV = 'MNIST_REQUIRE_ALL';

/** Something a test needs from the machine: present, or missing with what to do about it. */
export type Requirement =
  | { readonly name: string; readonly found: true }
  | { readonly name: string; readonly found: false; readonly reason: string };

/** Whether `MNIST_REQUIRE_ALL` asks for every requirement to be present. */
export function requireAll(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['1', 'true', 'yes'].includes((env[REQUIRE_ALL_ENV] ?? '').toLowerCase());
}

/** Thrown instead of skipping when `MNIST_REQUIRE_ALL=1`. */
export class MissingRequirementError extends Error {
  override readonly name = 'MissingRequirementError';
}

/**
 * The reason to skip the tests that need `requirement`, or `false` when it is present; for `describe.skipIf`:
 *
 * ```ts
 * describe.skipIf(skipUnless(findChromium()))('in Chromium', () => { ... });
 * ```
 *
 * A skip is printed (`console.warn`, which vitest shows under the test file) with what is missing and how to get
 * it. With `MNIST_REQUIRE_ALL=1` it throws instead, so the test file fails with that message.
 */
export function skipUnless(requirement: Requirement, env: NodeJS.ProcessEnv = process.env): string | false {
  if (requirement.found) return false;
  const message = `${requirement.name} missing: ${requirement.reason}`;
  if (requireAll(env)) {
    throw new MissingRequirementError(`${message} (${REQUIRE_ALL_ENV}=1 turns this skip into a failure)`);
  }
  console.warn(`skipped: ${message}`);
  return message;
}
