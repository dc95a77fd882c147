// 星耀's service worker ({{ version }}): keeps the app's shell and the pages a person uses in the field, so the
// report form opens and the worker's events read without signal. Pages come from the network first (always the
// newest when there is signal) and from the phone's copy when there is none. Nothing is sent from here: a report
// made offline waits in the page's outbox (offline.js) and is sent by the page when the signal returns.
const CACHE = "xingyao-{{ version }}";
const SHELL = {{ shell|safe }};
const PAGES = {{ pages|safe }};
const STATIC = "{{ static_url }}";
const OFFLINE = SHELL[SHELL.length - 1];
const KEEP_PAGES = 60;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL);
      // Pages need the person's login: fetched one by one, and one that is not his (a 403) is simply not kept.
      for (const page of PAGES) {
        try {
          // Not followed to the login page when signed out: rendering it would hand out a new CSRF cookie
          // behind the back of a login form already open.
          const response = await fetch(page, { credentials: "same-origin", redirect: "manual" });
          if (response.ok && !response.redirected) await cache.put(page, response);
        } catch {}
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

// A page asks to keep the pages its list links to (a worker's own events): fetched one by one as the person, each
// at most once an hour, and only a page he may open (no redirect to the login page, no 403). Requests are taken one
// after the other: two lists asking for the same page at once would otherwise fetch it twice and write it twice,
// and a page being rewritten can be missed by a read at that moment (the phone, just gone without signal, would
// show "no network" for a page it holds).
const FRESH_MS = 3600 * 1000;
let keeping = Promise.resolve();
self.addEventListener("message", (event) => {
  const urls = event.data && Array.isArray(event.data.keep) ? event.data.keep.slice(0, 30) : [];
  if (!urls.length) return;
  // Once written, the page hears which of its pages the phone now holds (it tells the person so).
  const page = event.source;
  keeping = keeping
    .then(() => keep(urls))
    .then((held) => page && page.postMessage({ kept: held }))
    .catch(() => {});
  event.waitUntil(keeping);
});

async function keep(urls) {
  const cache = await caches.open(CACHE);
  const held = [];
  for (const page of urls) {
    const url = new URL(page, self.location.origin);
    if (url.origin !== self.location.origin || url.pathname.startsWith(STATIC)) continue;
    const kept = await cache.match(url.href, { ignoreVary: true });
    const at = kept && Date.parse(kept.headers.get("Date") || "");
    if (at && Date.now() - at < FRESH_MS) {
      held.push(page);
      continue;
    }
    try {
      const response = await fetch(url.href, { credentials: "same-origin", redirect: "manual" });
      if (response.ok && !response.redirected) {
        await cache.put(url.href, response);
        held.push(page);
      }
    } catch {}
  }
  await trim(cache);
  return held;
}

async function trim(cache) {
  const keys = (await cache.keys()).filter((r) => !r.url.includes(STATIC));
  for (const old of keys.slice(0, Math.max(0, keys.length - KEEP_PAGES))) await cache.delete(old);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode !== "navigate" && !request.headers.get("HX-Request")) return;
  event.respondWith(
    (async () => {
      try {
        const response = await fetch(request);
        if (response.ok && !response.redirected && request.mode === "navigate") {
          // Kept after the page is answered: the person never waits for the phone's storage.
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy).then(() => trim(cache))));
        }
        return response;
      } catch {
        // The pages kept are this person's alone (signing out clears them): a copy is good whatever the request's
        // headers (Vary: Cookie, Accept-Language), and a page asked for through htmx is the page itself.
        const cache = await caches.open(CACHE);
        const loose = { ignoreVary: true };
        const held = (await cache.match(request, loose)) || (await cache.match(url.pathname, loose));
        return held || (await cache.match(OFFLINE));
      }
    })(),
  );
});
