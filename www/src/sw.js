// Offline support: the site is a handful of static files. Online, every request goes to
// the network and the copy in the cache is refreshed; offline, the cached copy answers.

const CACHE = "pyvet-site";
const SHELL = [
  "./", "index.html", "guide.html", "rules.html", "app.js", "analysis-worker.js", "theme.js", "guide.js", "rules.js",
  "styles.css", "docs.json", "pyvet_bg.wasm", "manifest.webmanifest", "icon.svg",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: true }).then((cached) => cached ?? Response.error())),
  );
});
