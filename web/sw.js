// The app shell's service worker: the client's own static files (HTML, CSS, modules, the code
// lists, icons) from the network first, from this cache when offline; a page asked for offline gets
// offline.html. Never the API (/api/…) or /dev/…: answers with personal data are not cached.
const CACHE = "mypage-shell-v1";
const OFFLINE = "/offline.html";
const SHELL = [OFFLINE, "/css/style.css", "/css/app.css", "/js/app.js", "/manifest.webmanifest",
  "/icons/icon.svg", "/icons/icon-192.png"];
const STATIC = /^\/(?:$|index\.html$|offline\.html$|manifest\.webmanifest$|(?:css|js|data|icons)\/)/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
  } else if (STATIC.test(url.pathname)) {
    event.respondWith(fromNetworkElseCache(request));
  }
  // everything else (the API, /dev/…) goes to the network untouched and is never stored
});

async function fromNetworkElseCache(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !/no-store/.test(response.headers.get("Cache-Control") || "")) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const cached = await caches.match(request);
    if (cached) return cached;
    throw error;
  }
}
