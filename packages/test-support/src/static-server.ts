// A throwaway static file server on 127.0.0.1 (node:http only), standing in for GitHub Pages or any static host.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

/** Content types by file extension; anything else is `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
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

/** The headers that make a page cross-origin isolated (needed for SharedArrayBuffer, e.g. wasm threads). */
export const CROSS_ORIGIN_ISOLATION: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** What to serve. */
export interface StaticServerOptions {
  /** A folder served under `basePath`; a directory URL serves its `index.html`. */
  root?: string;
  /** The site's path, `/` (default) or e.g. `/mnist-ts/`. Anything outside it is a 404. */
  basePath?: string;
  /** Files held in memory, by absolute URL path (`/`, `/models.js`); they win over `root` and `mounts`. */
  files?: ReadonlyMap<string, string | Uint8Array> | Readonly<Record<string, string | Uint8Array>>;
  /** More folders, by URL prefix (`{ '/wasm/': wasmDir }`). */
  mounts?: Readonly<Record<string, string>>;
  /** Headers added to every response, e.g. {@link CROSS_ORIGIN_ISOLATION}. */
  headers?: Readonly<Record<string, string>>;
}

/** A running server and what it served. */
export interface StaticServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  /** The site's URL: origin + base path. */
  readonly url: string;
  /** Every request as `METHOD path -> status`. */
  readonly log: string[];
  /** Paths that got a 404. */
  readonly notFound: string[];
  close(): Promise<void>;
}

/** The file under `dir` for a relative URL path, or undefined when the path tries to leave `dir`. */
function inside(dir: string, relative: string): string | undefined {
  const path = normalize(relative || 'index.html');
  if (path.startsWith('..') || path.includes(`${sep}..`) || path.startsWith(sep)) return undefined;
  return join(dir, path);
}

function typeOf(path: string): string {
  return CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
}

/**
 * Starts a static server on 127.0.0.1 with a free port. Only GET and HEAD; `..` in a path is refused (403);
 * `<basePath without its slash>` redirects to `basePath` (301); every response is `Cache-Control: no-cache`.
 */
export async function startStaticServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  const basePath = options.basePath ?? '/';
  const base = basePath.endsWith('/') ? basePath : `${basePath}/`;
  const files = new Map(
    options.files instanceof Map ? options.files : Object.entries(options.files ?? {}),
  ) as Map<string, string | Uint8Array>;
  const mounts = Object.entries(options.mounts ?? {});
  const extra: OutgoingHttpHeaders = { 'Cache-Control': 'no-cache', ...options.headers };
  const log: string[] = [];
  const notFound: string[] = [];

  const server = createServer(async (req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      path = req.url ?? '/';
    }
    const done = (status: number) => log.push(`${req.method} ${path} -> ${status}`);
    const fail = (status: number) => {
      if (status === 404) notFound.push(path);
      res.writeHead(status, { ...extra, 'Content-Type': 'text/plain' }).end(`${status}\n`);
      done(status);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405);

    const inMemory = files.get(path);
    if (inMemory !== undefined) {
      const body = typeof inMemory === 'string' ? Buffer.from(inMemory) : inMemory;
      const type = path.endsWith('/') ? CONTENT_TYPES['.html'] : typeOf(path);
      res.writeHead(200, { ...extra, 'Content-Type': type, 'Content-Length': body.byteLength });
      res.end(req.method === 'HEAD' ? undefined : body);
      return done(200);
    }

    let file: string | undefined;
    const mount = mounts.find(([prefix]) => path.startsWith(prefix));
    if (mount) file = inside(mount[1], path.slice(mount[0].length));
    else if (options.root !== undefined && path === base.slice(0, -1)) {
      res.writeHead(301, { ...extra, Location: base }).end();
      return done(301);
    } else if (options.root !== undefined && path.startsWith(base)) {
      file = inside(options.root, path.slice(base.length));
    } else return fail(404);
    if (file === undefined) return fail(403);

    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      if (!info.isFile()) return fail(404);
      res.writeHead(200, { ...extra, 'Content-Type': typeOf(file), 'Content-Length': info.size });
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
