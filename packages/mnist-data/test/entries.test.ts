import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.js';
import * as node from '../src/node.js';
import { caught } from './helpers.js';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

/** Every module specifier reachable from `entry` through relative imports. */
function reachableImports(entry: string): { modules: Set<string>; external: Set<string> } {
  const modules = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
      const specifier = match[1] as string;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else external.add(specifier);
    }
  };
  visit(entry);
  return { modules, external };
}

describe('entries', () => {
  it('the browser entry reaches no Node module (no node: import, no file system code)', () => {
    const { modules, external } = reachableImports(join(srcDir, 'browser.ts'));
    // The only outside code: @noble/hashes, the SHA-256 fallback for pages without WebCrypto.
    expect([...external].sort()).toEqual(['@noble/hashes/sha2.js', '@noble/hashes/utils.js']);
    // Nothing from src/node/ (the folder; src/node-builtins.ts fetches Node's modules only when called).
    expect([...modules].some((m) => m.includes(join(srcDir, 'node') + sep))).toBe(false);
  });

  it('the node entry is a superset of the browser entry with the same loadMnist signature', () => {
    for (const name of Object.keys(browser)) expect(Object.keys(node)).toContain(name);
    expect(typeof node.loadMnist).toBe('function');
    expect(node.MnistDataError).toBe(browser.MnistDataError);
  });

  it('the browser loadMnist explains that it needs a baseUrl', async () => {
    const e = (await caught(() => browser.loadMnist())) as browser.MnistDataError;
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain('baseUrl');
  });
});

describe('sha256Hex (the @noble/hashes fallback used where WebCrypto is missing)', () => {
  it('matches the FIPS 180-4 test vectors and OpenSSL on block-boundary lengths', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(node.sha256Hex(text(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(node.sha256Hex(text('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(node.sha256Hex(new Uint8Array(1_000_000).fill(0x61))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
    const random = node.seededRandom(5);
    for (const length of [1, 55, 56, 63, 64, 65, 119, 120, 128, 1000]) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      expect(node.sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});

describe('cache location', () => {
  it('follows MNIST_CACHE_DIR, then XDG_CACHE_HOME, then the platform default', () => {
    expect(node.defaultCacheRoot({ MNIST_CACHE_DIR: '/tmp/a', XDG_CACHE_HOME: '/tmp/b' })).toBe(
      resolve('/tmp/a'),
    );
    expect(node.defaultCacheRoot({ XDG_CACHE_HOME: '/tmp/b' })).toBe(join(resolve('/tmp/b'), 'mnist-ts'));
    if (process.platform === 'linux')
      expect(node.defaultCacheRoot({})).toBe(join(homedir(), '.cache', 'mnist-ts'));
    expect(node.datasetCacheDir('fashion-mnist', '/tmp/c')).toBe(join(resolve('/tmp/c'), 'fashion-mnist'));
  });
});
