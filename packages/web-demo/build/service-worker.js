// The demo's service worker (the build fills in the precache list and version). Scope: the folder the site is
// served from, so several deployments on one origin (e.g. GitHub Pages project pages) keep separate caches.
const PRECACHE = self.__PRECACHE__;
const VERSION = self.__VERSION__;
const PREFIX = `mnist-demo:${self.registration.scope}:`;
const CACHE = `${PREFIX}${VERSION}`;

const inScope = (url) => url.startsWith(self.registration.scope);

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
      fetch(request).catch(() =>
        caches
          .match(new URL('./', self.registration.scope).href, { cacheName: CACHE })
          .then((r) => r ?? Response.error()),
      ),
    );
    return;
  }
  // Assets are content-hashed, models and data never change within a version: cache first, fill on first use.
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const url = request.url.split('#')[0].split('?')[0];
      const hit = await cache.match(url);
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok && response.type === 'basic') await cache.put(url, response.clone());
      return response;
    }),
  );
});
