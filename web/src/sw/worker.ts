// The service worker (dist/sw.js): the app shell offline, never API data. The build writes sw.js
// from swSource() with the list of every file of that build (vite.config.ts, keelServiceWorker),
// so the cache's name carries the build's version and a new build is a new worker.
//
// - install: caches the shell (index.html, the JS and CSS chunks, icons, the web app manifest)
//   in `keel-shell-VERSION`, all or nothing, then takes over at once (skipWaiting);
// - activate: deletes every other `keel-shell-*` cache and controls open pages (clients.claim);
// - fetch: a page load goes to the network first and falls back to the cached index.html when the
//   network fails (so the page matches the server's build whenever the server answers, and the
//   app starts offline); a file of the shell is answered from the cache; everything else is left
//   to the network untouched: /api/ (never cached, never answered from the cache), the server's
//   own routes (/healthz, /readyz, /metrics), other origins, and every method but GET.
//
// serviceWorker() is turned into text with Function.prototype.toString, so it must use nothing
// from outside its own body: the scope and the shell come in as arguments. src/sw/worker.test.ts
// runs the text swSource() makes against a stand-in of the worker's scope.

export interface Shell {
  version: string; // the build's hash of its files' names and contents
  files: string[]; // paths from the root: '/index.html', '/assets/index-3f2a.js', …
}

// The parts of ServiceWorkerGlobalScope the worker uses (the app's TypeScript has the DOM's types,
// not the WebWorker ones).
interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(r: Promise<Response>): void;
}
export interface WorkerScope {
  readonly location: { readonly origin: string };
  readonly caches: CacheStorage;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  fetch(input: Request): Promise<Response>;
  addEventListener(type: 'install' | 'activate', f: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', f: (e: FetchEvent) => void): void;
}

export function serviceWorker(sw: WorkerScope, shell: Shell): void {
  const prefix = 'keel-shell-';
  const name = prefix + shell.version;
  const files = new Set(shell.files);
  // The server's routes outside /api/: a page load of one is the server's answer, never the app.
  const serverRoutes = new Set(['/healthz', '/readyz', '/metrics']);
  const isApi = (path: string) => path === '/api' || path.startsWith('/api/');

  sw.addEventListener('install', (e) => {
    e.waitUntil(
      sw.caches
        .open(name)
        // no-cache: the files as the server has them now, not an older copy from the HTTP cache.
        .then((c) => c.addAll(shell.files.map((f) => new Request(f, { cache: 'no-cache' }))))
        .then(() => sw.skipWaiting()),
    );
  });

  sw.addEventListener('activate', (e) => {
    e.waitUntil(
      sw.caches
        .keys()
        .then((keys) => Promise.all(keys.filter((k) => k.startsWith(prefix) && k !== name).map((k) => sw.caches.delete(k))))
        .then(() => sw.clients.claim()),
    );
  });

  sw.addEventListener('fetch', (e) => {
    const req = e.request;
    if (req.method !== 'GET') return;
    const url = new URL(req.url);
    if (url.origin !== sw.location.origin) return;
    const path = url.pathname;
    if (isApi(path) || serverRoutes.has(path)) return; // the network's, always
    const cached = (key: string) => sw.caches.open(name).then((c) => c.match(key));
    if (req.mode === 'navigate') {
      if (path.startsWith('/assets/') && !files.has(path)) return;
      e.respondWith(
        sw.fetch(req).catch((err: unknown) =>
          cached(files.has(path) ? path : '/index.html').then((hit) => {
            if (hit) return hit;
            throw err;
          }),
        ),
      );
      return;
    }
    if (!files.has(path)) return;
    e.respondWith(cached(path).then((hit) => hit ?? sw.fetch(req)));
  });
}

// The text of dist/sw.js for a build's shell. No path of the shell may be under /api/.
export function swSource(shell: Shell): string {
  const api = shell.files.filter((f) => f === '/api' || f.startsWith('/api/'));
  if (api.length > 0) throw new Error(`the shell may not hold API paths: ${api.join(', ')}`);
  if (!shell.files.includes('/index.html')) throw new Error('the shell has no /index.html');
  if (!/^[0-9a-f]{8,64}$/.test(shell.version)) throw new Error(`not a version: ${shell.version}`);
  return [
    `// keel's service worker, written by the build (web/src/sw/worker.ts): version ${shell.version}.`,
    `'use strict';`,
    `(${serviceWorker.toString()})(self, ${JSON.stringify(shell)});`,
    '',
  ].join('\n');
}
