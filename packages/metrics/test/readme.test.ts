import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The fenced code between `<!-- name:start -->` and `<!-- name:end -->` in the README. */
function fencedBlock(name: string): string {
  const match = readme.match(
    new RegExp(`<!-- ${name}:start -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\`\\n<!-- ${name}:end -->`),
  );
  if (!match?.[1]) throw new Error(`README has no ${name} block`);
  return match[1];
}

describe('README example', () => {
  it('shows the real example file', () => {
    expect(fencedBlock('example')).toBe(
      readFileSync(new URL('../examples/print-report.ts', import.meta.url), 'utf8'),
    );
  });

  it('prints exactly the output the README shows', async () => {
    // Run as a user would, in a separate Node process; the source condition saves building first.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@mnist/source', '--import', 'tsx', 'examples/print-report.ts'],
      { cwd: packageDir },
    );
    expect(stdout).toBe(fencedBlock('output'));
  }, 60_000);
});
