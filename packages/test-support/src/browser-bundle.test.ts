import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from './browser-bundle.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'test-support-bundle-'));
  await writeFile(
    join(dir, 'app.ts'),
    "export const answer: number = 42;\nexport const later = () => import('./lazy.ts');\n",
  );
  await writeFile(join(dir, 'lazy.ts'), "export const lazy = 'loaded on demand';\n");
  await writeFile(
    join(dir, 'uses-node.ts'),
    "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
  );
  // A workspace-like package: its @mnist/source condition points at its sources, the default at a build.
  const pkg = join(dir, 'node_modules', 'pkg');
  await mkdir(pkg, { recursive: true });
  await writeFile(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'pkg',
      exports: { '.': { '@mnist/source': './source.js', default: './built.js' } },
    }),
  );
  await writeFile(join(pkg, 'source.js'), "export const from = 'source';\n");
  await writeFile(join(pkg, 'built.js'), "export const from = 'build';\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bundleForBrowser', () => {
  it('bundles a file into one ES module at /bundle.js, held in memory', async () => {
    const bundle = await bundleForBrowser(join(dir, 'app.ts'));
    expect(bundle.path).toBe('/bundle.js');
    expect(Object.keys(bundle.files)).toEqual(['/bundle.js']);
    expect(bundle.code).toBe(bundle.files['/bundle.js']);
    expect(bundle.code).toContain('42');
    expect(bundle.code).toContain('loaded on demand');
    expect(bundle.code).toMatch(/export\s*\{/);
  });

  it('with splitting, puts each dynamically imported module in a chunk named after it, beside the entry', async () => {
    const bundle = await bundleForBrowser(join(dir, 'app.ts'), { path: '/site/app.js', splitting: true });
    const paths = Object.keys(bundle.files).sort();
    expect(paths).toHaveLength(2);
    expect(paths[0]).toBe('/site/app.js');
    expect(paths[1]).toMatch(/^\/site\/lazy-[A-Z0-9]+\.js$/);
    expect(bundle.code).not.toContain('loaded on demand');
    expect(bundle.files[paths[1] as string]).toContain('loaded on demand');
    const entry = Object.values(bundle.metafile.outputs).find((out) => out.entryPoint?.endsWith('app.ts'));
    expect(entry?.imports.map((i) => i.kind)).toContain('dynamic-import');
  });

  it('takes source text resolved from a folder, and reads workspace packages through @mnist/source', async () => {
    const bundle = await bundleForBrowser(
      { contents: "export { from } from 'pkg'; export * from './app.ts';", resolveDir: dir },
      { path: '/models.js' },
    );
    expect(Object.keys(bundle.files)).toEqual(['/models.js']);
    expect(bundle.code).toContain('"source"');
    expect(bundle.code).not.toContain('"build"');
  });

  it('fails on a Node built-in, as a browser bundler would', async () => {
    await expect(bundleForBrowser(join(dir, 'uses-node.ts'))).rejects.toThrow(/node:fs/);
  });

  it('refuses a path that is not an absolute .js URL path', async () => {
    for (const path of ['models.js', '/models', '/a b.js']) {
      await expect(bundleForBrowser(join(dir, 'app.ts'), { path })).rejects.toThrow(
        /path must be an absolute URL path ending in \.js/,
      );
    }
  });
});
