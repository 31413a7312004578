import { mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDirectories, makeDirectoriesSync } from './node.js';
import { caught } from '../test/helpers.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-mkdirs-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const variants = [
  ['makeDirectories', makeDirectories],
  ['makeDirectoriesSync', async (folder: string) => makeDirectoriesSync(folder)],
] as const;

describe.each(variants)('%s', (name, make) => {
  it('creates every missing folder, and does nothing where the folder exists', async () => {
    const deep = join(scratch, name, 'a', 'b', 'c');
    await make(deep);
    expect((await stat(deep)).isDirectory()).toBe(true);
    await make(deep);
    await make(join(scratch, name, 'a'));
    expect((await stat(deep)).isDirectory()).toBe(true);
  });

  it('fails as mkdir does when a file is in the way: EEXIST for the folder itself, ENOTDIR for a parent', async () => {
    const file = join(scratch, `${name}-file`);
    await writeFile(file, 'not a folder');
    expect(await caught(() => make(file))).toMatchObject({ code: 'EEXIST' });
    expect(await caught(() => make(join(file, 'below')))).toMatchObject({ code: 'ENOTDIR' });
  });

  it('ends at once under a dangling symbolic link or in /proc, where mkdir -p spins forever', async () => {
    const dangling = join(scratch, `${name}-dangling`);
    await symlink(join(scratch, 'nowhere'), dangling);
    const error = await caught(() => make(join(dangling, 'cache', 'mnist')));
    expect(error).toMatchObject({ code: 'EEXIST', path: dangling });
    expect((error as Error).message).toBe(
      `Cannot create the folder ${dangling}: ${dangling} is a symbolic link to nothing`,
    );
    if (process.platform === 'linux') {
      const proc = await caught(() => make('/proc/self/fd/mnist'));
      expect(proc).toMatchObject({ code: 'ENOENT', path: '/proc/self/fd/mnist' });
      expect((proc as Error).message).toBe(
        'Cannot create the folder /proc/self/fd/mnist: /proc/self/fd does not take new folders (a special file system such as /proc)',
      );
    }
  });
});
