/**
 * The release flow on a throwaway clone: `changeset version` bumps the packages and writes their changelogs, and the
 * tarballs `pnpm pack` then builds (what `changeset publish` uploads) name each other with the new versions.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const libraries = {
  'mnist-data': '@mnist/data',
  models: '@mnist/models',
  metrics: '@mnist/metrics',
  cli: '@mnist/cli',
};

function pnpm(args: string[], cwd: string) {
  const execpath = process.env.npm_execpath;
  const [cmd, pre] =
    execpath && /pnpm/.test(execpath) && /\.c?js$/.test(execpath)
      ? [process.execPath, [execpath]]
      : ['pnpm', []];
  return exec(cmd, [...pre, ...args], { cwd, maxBuffer: 32 * 1024 * 1024, timeout: 300_000 });
}

let clone: string;
let packs: string;

beforeAll(async () => {
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'mnist-release-')));
  clone = join(work, 'repo');
  packs = join(work, 'packs');
  await exec('git', ['clone', '--quiet', repo, clone]);
  // The store already holds every package: this install needs no network and runs no install scripts.
  await pnpm(['install', '--offline', '--ignore-scripts', '--frozen-lockfile'], clone);
  await exec(process.execPath, [join(clone, 'node_modules/@changesets/cli/bin.js'), 'version'], {
    cwd: clone,
  });
  // Each tarball's name carries its package and version, so the four packs can share one folder and run at once.
  await Promise.all(
    Object.keys(libraries).map((dir) =>
      pnpm(['pack', '--pack-destination', packs], join(clone, 'packages', dir)),
    ),
  );
}, 600_000);

afterAll(() => {
  if (clone) rmSync(resolve(clone, '..'), { recursive: true, force: true });
});

describe('changeset version, then pack', () => {
  const manifest = (dir: string) =>
    JSON.parse(readFileSync(join(clone, 'packages', dir, 'package.json'), 'utf8'));

  it('consumes the pending changesets and bumps every published package the same way', () => {
    const pending = readdirSync(join(clone, '.changeset')).filter(
      (f) => f.endsWith('.md') && f !== 'README.md',
    );
    expect(pending).toEqual([]);
    const versions = Object.keys(libraries).map((dir) => manifest(dir).version);
    expect(new Set(versions).size).toBe(1);
    expect(versions[0]).not.toBe(
      JSON.parse(readFileSync(join(repo, 'packages/models/package.json'), 'utf8')).version,
    );
  });

  it('writes a changelog entry per package', () => {
    for (const dir of Object.keys(libraries)) {
      const changelog = join(clone, 'packages', dir, 'CHANGELOG.md');
      expect(existsSync(changelog)).toBe(true);
      expect(readFileSync(changelog, 'utf8')).toContain(`## ${manifest(dir).version}`);
    }
  });

  it('packs tarballs whose internal dependency ranges name the new versions', async () => {
    const version = manifest('models').version as string;
    for (const [dir, name] of Object.entries(libraries)) {
      const tarball = join(packs, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
      const { stdout } = await exec('tar', ['-xOzf', tarball, 'package/package.json']);
      const packed = JSON.parse(stdout);
      expect(packed.name).toBe(name);
      expect(packed.version).toBe(version);
      // Applications pin the tfjs they are tested with; libraries accept the same 4.22 line as peers.
      const pinned = { ...packed.dependencies, ...packed.optionalDependencies };
      for (const [dep, range] of [
        ...Object.entries(pinned),
        ...Object.entries(packed.peerDependencies ?? {}),
      ]) {
        expect(String(range), `${dir}: ${dep}`).not.toMatch(/^(workspace|catalog):/);
        if (dep.startsWith('@mnist/')) expect(range).toBe(`^${version}`);
        if (dep.startsWith('@tensorflow/')) expect(range).toBe(dep in pinned ? '4.22.0' : '~4.22.0');
      }
    }
  });
});
