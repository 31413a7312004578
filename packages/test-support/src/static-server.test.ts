import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROSS_ORIGIN_ISOLATION, type StaticServer, startStaticServer } from './static-server.js';

let site: string;
let outside: string;

beforeAll(async () => {
  const top = await mkdtemp(join(tmpdir(), 'test-support-server-'));
  site = join(top, 'site');
  outside = join(top, 'secret.txt');
  await mkdir(join(site, 'assets'), { recursive: true });
  await writeFile(join(site, 'index.html'), '<!doctype html><title>home</title>');
  await writeFile(join(site, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(site, 'data.gz'), Buffer.from([0x1f, 0x8b, 8, 0]));
  await writeFile(outside, 'not for the page');
});

afterAll(async () => {
  await rm(join(site, '..'), { recursive: true, force: true });
});

/** A raw GET, so that paths reach the server exactly as written (fetch would normalise `..`). */
function get(
  origin: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a folder under a sub-path', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await startStaticServer({ root: site, basePath: '/mnist-ts/' });
  });
  afterAll(() => server.close());

  it('serves files with their content type, a directory as its index.html, on 127.0.0.1', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`${server.origin}/mnist-ts/`);
    const home = await get(server.origin, '/mnist-ts/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.body).toContain('<title>home</title>');
    const script = await get(server.origin, '/mnist-ts/assets/app.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('no-cache');
    const gz = await get(server.origin, '/mnist-ts/data.gz');
    expect(gz.headers['content-type']).toBe('application/gzip');
    expect(gz.headers['content-encoding']).toBeUndefined();
  });

  it('redirects the base path without its slash, and 404s anything outside it', async () => {
    const redirect = await get(server.origin, '/mnist-ts');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/mnist-ts/');
    expect((await get(server.origin, '/assets/app.js')).status).toBe(404);
    expect((await get(server.origin, '/mnist-ts/missing.js')).status).toBe(404);
    expect(server.notFound).toEqual(['/assets/app.js', '/mnist-ts/missing.js']);
    expect(server.log).toContain('GET /mnist-ts/assets/app.js -> 200');
  });

  it('refuses paths that climb out of the folder', async () => {
    const climb = await get(server.origin, '/mnist-ts/..%2f..%2fsecret.txt');
    expect(climb.status).toBe(403);
    expect(climb.body).not.toContain('not for the page');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await fetch(`${server.url}assets/app.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('console.log(1)'.length));
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });
});

describe('files in memory, mounted folders and extra headers', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await startStaticServer({
      files: {
        '/': '<!doctype html><p>page</p>',
        '/bundle.js': 'export {}',
        '/bytes.bin': new Uint8Array([1, 2, 3]),
      },
      mounts: { '/static/': site },
      headers: CROSS_ORIGIN_ISOLATION,
    });
  });
  afterAll(() => server.close());

  it('serves the in-memory files first, then the mounts, with the extra headers on every answer', async () => {
    const page = await fetch(`${server.origin}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe('<!doctype html><p>page</p>');
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(new Uint8Array(await (await fetch(`${server.origin}/bytes.bin`)).arrayBuffer())).toEqual(
      new Uint8Array([1, 2, 3]),
    );
    const mounted = await fetch(`${server.origin}/static/assets/app.js`);
    expect(await mounted.text()).toBe('console.log(1)');
    expect(mounted.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const missing = await fetch(`${server.origin}/elsewhere.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });
});
