import { execFileSync } from 'node:child_process';
import { repoRoot } from './helpers';

/**
 * The end-to-end tests run the built binary, as users do: build it and the packages it depends on
 * first (turbo's cache makes this a no-op when nothing changed, e.g. after the root `pnpm test`).
 */
export default function setup(): void {
  execFileSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@mnist/cli...', '--output-logs=errors-only'],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
}
