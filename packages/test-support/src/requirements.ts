// What only the system can provide (a browser, a Debian data package, a native library): tests that need it are
// skipped with the reason printed, never silently; CI turns those skips into failures, except the ones it names as
// what it cannot provide.

/** The environment variable that turns every "skipped: missing X" into a failure (CI sets it). */
export const REQUIRE_ALL_ENV = 'MNIST_REQUIRE_ALL';

/**
 * The environment variable naming, comma-separated, the requirements a machine that sets {@link REQUIRE_ALL_ENV}
 * knows it cannot meet (`MNIST_ALLOW_SKIP=tensorflow`): their tests stay skipped there, said so, instead of failing.
 * CI sets it in `.ci/run`, with the reason beside it.
 */
export const ALLOW_SKIP_ENV = 'MNIST_ALLOW_SKIP';

/** Something a test needs from the machine: present, or missing with what to do about it. */
export type Requirement =
  | { readonly name: string; readonly found: true }
  | { readonly name: string; readonly found: false; readonly reason: string };

/** Whether `MNIST_REQUIRE_ALL` asks for every requirement to be present. */
export function requireAll(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['1', 'true', 'yes'].includes((env[REQUIRE_ALL_ENV] ?? '').toLowerCase());
}

/** The requirement names `MNIST_ALLOW_SKIP` lists, lower-cased. */
export function allowedSkips(env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> {
  return new Set(
    (env[ALLOW_SKIP_ENV] ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ''),
  );
}

/** Thrown instead of skipping when `MNIST_REQUIRE_ALL=1` and `MNIST_ALLOW_SKIP` does not name the requirement. */
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
 * it. With `MNIST_REQUIRE_ALL=1` it throws instead, so the test file fails with that message, unless
 * `MNIST_ALLOW_SKIP` names the requirement (case-insensitive): then the skip stands and says which variable let it.
 */
export function skipUnless(requirement: Requirement, env: NodeJS.ProcessEnv = process.env): string | false {
  if (requirement.found) return false;
  const message = `${requirement.name} missing: ${requirement.reason}`;
  if (requireAll(env)) {
    if (!allowedSkips(env).has(requirement.name.toLowerCase())) {
      throw new MissingRequirementError(`${message} (${REQUIRE_ALL_ENV}=1 turns this skip into a failure)`);
    }
    console.warn(`skipped (${ALLOW_SKIP_ENV}=${env[ALLOW_SKIP_ENV]} allows it): ${message}`);
    return message;
  }
  console.warn(`skipped: ${message}`);
  return message;
}
