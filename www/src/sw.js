// Offline support and updates. Each build of the site gets its own cache, named for a hash
// of the built files, and fills it on install with every file the build wrote (pages,
// scripts, the module, docs, icons) — so a page never visited opens offline after the first
// visit to any page. The list and the hash are written in by scripts/service-worker.mjs.
//
// Pages are answered from this build's cache, so the files of one page always belong to the
// same build. A new build means a new sw.js: it installs beside the running one and waits;
// the page offers "A new version is ready — reload" (updates.js), and when the reader
// accepts, it takes over and deletes the caches of older builds.

/* global __PYVET_BUILD__, __PYVET_PRECACHE__ */
const BUILD = __PYVET_BUILD__;
const FILES = __PYVET_PRECACHE__;
const PREFIX = "pyvet-";
const CACHE = `${PREFIX}${BUILD}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // Past the HTTP cache: an older copy of a file must not end up in a newer build's cache.
      cache.addAll(FILES.map((file) => new Request(file, { cache: "reload" }))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

// The page sends this when the reader accepts the new version.
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.endsWith("/")) url.pathname += "index.html";
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(url.href, { ignoreSearch: true }))
      .then((cached) => cached ?? fetch(request)),
  );
});
