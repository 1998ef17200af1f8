// URLs that can be bookmarked: the path names the view and the portfolio, the query its tab and
// parameters. A small History API router (the server answers index.html for any non-API path).
import { useSyncExternalStore } from 'react';

function subscribe(cb: () => void): () => void {
  window.addEventListener('popstate', cb);
  window.addEventListener('keel:navigate', cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener('keel:navigate', cb);
  };
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event('keel:navigate'));
}

export interface Location {
  path: string[];
  query: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, () => location.pathname + location.search);
  const url = new URL(href, 'http://x');
  return { path: url.pathname.split('/').filter(Boolean).map(decodeURIComponent), query: url.searchParams };
}

// Replaces some query parameters of the current URL (null removes one).
export function setQuery(changes: Record<string, string | null>): void {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  navigate(location.pathname + (s ? '?' + s : ''), true);
}
