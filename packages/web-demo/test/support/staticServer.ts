// A plain static file server on 127.0.0.1 (node:http only), standing in for GitHub Pages or any static host.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  // Served as-is, like GitHub Pages: no Content-Encoding, the page inflates the file itself.
  '.gz': 'application/gzip',
  '.bin': 'application/octet-stream',
  '.map': 'application/json',
};

/** A running server and what it served. */
export interface StaticServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** The site's URL: origin + base path. */
  url: string;
  /** Every request as `METHOD path -> status`. */
  log: string[];
  /** Requests that got a 404. */
  notFound: string[];
  close(): Promise<void>;
}

/**
 * Serves `root` under `basePath` (`/` or e.g. `/mnist-ts/`) on 127.0.0.1 with a free port, adding `headers` to
 * every file (e.g. COOP/COEP). Anything outside the base path is a 404, so a page that wrongly requests
 * `/assets/...` from a sub-path deployment is caught.
 */
export async function startStaticServer(
  root: string,
  basePath = '/',
  headers: Readonly<Record<string, string>> = {},
): Promise<StaticServer> {
  const base = basePath.endsWith('/') ? basePath : `${basePath}/`;
  const log: string[] = [];
  const notFound: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const done = (status: number) => log.push(`${req.method} ${path} -> ${status}`);
    const fail = (status: number) => {
      if (status === 404) notFound.push(path);
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`${status}\n`);
      done(status);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405);
    if (path === base.slice(0, -1)) {
      res.writeHead(301, { Location: base }).end();
      return done(301);
    }
    if (!path.startsWith(base)) return fail(404);
    const relative = normalize(path.slice(base.length) || 'index.html');
    if (relative.startsWith('..') || relative.includes(`${sep}..`)) return fail(403);
    let file = join(root, relative);
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': info.size,
        'Cache-Control': 'no-cache',
        ...headers,
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
      done(200);
    } catch {
      fail(404);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}${base}`,
    log,
    notFound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
