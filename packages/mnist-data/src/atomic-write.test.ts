import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAtomicFile, writeFileAtomically, writeFileAtomicallySync } from './atomic-write.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mnist-data-atomic-write-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A fresh empty folder for one test. */
let count = 0;
async function folder(): Promise<string> {
  const path = join(dir, `case-${count++}`);
  await mkdir(path);
  return path;
}

const writers = {
  writeFileAtomically,
  writeFileAtomicallySync: async (...args: Parameters<typeof writeFileAtomicallySync>) =>
    writeFileAtomicallySync(...args),
};

describe.each(Object.entries(writers))('%s', (_, write) => {
  it('creates the folders, writes text or bytes, replaces the old file, and leaves nothing else', async () => {
    const base = await folder();
    const target = join(base, 'a', 'b', 'out.json');
    await write(target, 'first\n');
    expect(await readFile(target, 'utf8')).toBe('first\n');
    await write(target, Uint8Array.from([0x73, 0x65, 0x63, 0x6f, 0x6e, 0x64]));
    expect(await readFile(target, 'utf8')).toBe('second');
    expect(await readdir(join(base, 'a', 'b'))).toEqual(['out.json']);
  });

  it('on failure throws Node’s error, removes its temporary file and leaves the target as it was', async () => {
    const base = await folder();
    // A non-empty folder where the file should go: the rename fails (EISDIR on Linux).
    const target = join(base, 'taken');
    await mkdir(target);
    await writeFile(join(target, 'keep'), 'kept');
    await expect(write(target, 'new')).rejects.toMatchObject({
      code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/),
    });
    expect(await readdir(base)).toEqual(['taken']);
    expect(await readFile(join(target, 'keep'), 'utf8')).toBe('kept');
  });

  it('writes through the temporary name it is given, which must be beside the target', async () => {
    const base = await folder();
    const target = join(base, 'data.gz');
    await write(target, 'bytes', { temporary: join(base, 'data.gz.host.1.abcd.part') });
    expect(await readdir(base)).toEqual(['data.gz']);
    for (const wrong of [join(base, 'sub', 'data.gz.part'), target]) {
      await expect(write(target, 'x', { temporary: wrong })).rejects.toThrow(
        /must be another file in the folder of/,
      );
    }
    expect(await readFile(target, 'utf8')).toBe('bytes');
  });
});

describe('openAtomicFile', () => {
  it('writes pieces under the temporary name; the target appears whole on commit', async () => {
    const base = await folder();
    const target = join(base, 'out.bin');
    await writeFile(target, 'old');
    const file = await openAtomicFile(target);
    expect(file.path).toBe(target);
    expect(file.temporary).toMatch(/\/\.out\.bin\.\d+\.[0-9a-f]{8}\.tmp$/);
    await file.write(Uint8Array.from([1, 2]));
    await file.write('3');
    expect(await readFile(target, 'utf8')).toBe('old');
    expect((await readdir(base)).sort()).toEqual([file.temporary.slice(base.length + 1), 'out.bin'].sort());
    await file.commit();
    expect(Array.from(await readFile(target))).toEqual([1, 2, 0x33]);
    expect(await readdir(base)).toEqual(['out.bin']);
    await file.abort(); // harmless after commit
    expect(await readdir(base)).toEqual(['out.bin']);
  });

  it('abort removes the temporary file and leaves the target alone', async () => {
    const base = await folder();
    const target = join(base, 'out.bin');
    await writeFile(target, 'old');
    const file = await openAtomicFile(target, { temporary: join(base, 'out.bin.part') });
    await file.write('half');
    await file.abort();
    await file.abort();
    expect(await readdir(base)).toEqual(['out.bin']);
    expect(await readFile(target, 'utf8')).toBe('old');
  });

  it('refuses a temporary name that exists (two writers never share one)', async () => {
    const base = await folder();
    await writeFile(join(base, 'out.bin.part'), 'another writer');
    await expect(
      openAtomicFile(join(base, 'out.bin'), { temporary: join(base, 'out.bin.part') }),
    ).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(join(base, 'out.bin.part'), 'utf8')).toBe('another writer');
  });
});

describe('outside Node', () => {
  it('says that writing a file needs Node', () => {
    const node = globalThis.process;
    // Synchronous from here to the restore: nothing else runs while `process` is gone.
    (globalThis as { process?: unknown }).process = undefined;
    let error: unknown;
    try {
      writeFileAtomicallySync(join(dir, 'never'), 'x');
    } catch (e) {
      error = e;
    } finally {
      globalThis.process = node;
    }
    expect((error as Error).message).toBe(
      'writeFileAtomicallySync writes a file, which needs Node.js ≥ 20.19.',
    );
  });
});
