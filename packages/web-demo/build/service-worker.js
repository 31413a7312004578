// The demo's service worker (the build fills in the precache list and version). Scope: the folder the site is
// served from, so several deployments on one origin (e.g. GitHub Pages project pages) keep separate caches.
//
// Two jobs: offline use (precache the app; cache the MNIST files and the threaded wasm binary on first use), and,
// when the build asks for it (ISOLATE), cross-origin isolation on static hosts that cannot send headers (GitHub
// Pages): every response it serves then carries COOP/COEP, which browsers honour from a service worker. Isolation
// starts with the first page load the worker controls (the next visit or reload); it unlocks SharedArrayBuffer,
// i.e. training on several threads. See build/serviceWorker.ts for when it is on and why.
const PRECACHE = self.__PRECACHE__;
const VERSION = self.__VERSION__;
const ISOLATE = self.__ISOLATE__;
const PREFIX = `mnist-demo:${self.registration.scope}:`;
const CACHE = `${PREFIX}${VERSION}`;

const inScope = (url) => url.startsWith(self.registration.scope);

/** The isolation headers. Everything the demo loads is same-origin, so require-corp costs nothing. */
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A copy of `response` with the isolation headers (the body streams through, progress bars keep moving). */
function isolated(response) {
  if (!ISOLATE || response.status === 0 || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((path) => new URL(path, self.registration.scope).href)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !inScope(request.url)) return;
  if (request.mode === 'navigate') {
    // Pages: the network first (a new deployment shows up at once), the cached shell when offline.
    event.respondWith(
      fetch(request)
        .catch(() =>
          caches
            .match(new URL('./', self.registration.scope).href, { cacheName: CACHE })
            .then((r) => r ?? Response.error()),
        )
        .then(isolated),
    );
    return;
  }
  // Assets are content-hashed, models and data never change within a version: cache first, fill on first use.
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const url = request.url.split('#')[0].split('?')[0];
      const hit = await cache.match(url);
      if (hit) return isolated(hit);
      const response = await fetch(request);
      if (response.ok && response.type === 'basic') {
        // Stored in the background: waiting for the copy would hold the whole body back from the page (no
        // download progress). A transfer cut half-way fails the copy too, so nothing partial is ever cached.
        event.waitUntil(cache.put(url, response.clone()).catch(() => undefined));
      }
      return isolated(response);
    }),
  );
});
