// URLs that can be bookmarked: the path names the view and the portfolio, the query its tab and
// parameters. A small History API router (the server answers index.html for any non-API path).
// A view with unsaved changes holds a leave guard (useLeaveGuard): leaving its path — a link, the
// browser's back or forward, a reload or closing the tab — asks first; its query may change freely.
import { useEffect, useSyncExternalStore } from 'react';

let leaveMessage: string | null = null;
// The URL the app shows, so that a declined back or forward can be undone.
let current = typeof location === 'undefined' ? '' : location.pathname + location.search;
const pathOf = (url: string) => new URL(url, 'http://x').pathname;

// Whether leaving the current path may go ahead: true without a guard, else the user's answer.
export function confirmLeave(): boolean {
  return leaveMessage === null || window.confirm(leaveMessage);
}

// While `message` is not null, leaving the view's path asks with it (and the browser asks before a
// reload or closing the tab, in its own words).
export function useLeaveGuard(message: string | null): void {
  useEffect(() => {
    if (message === null) return;
    leaveMessage = message;
    const onUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      if (leaveMessage === message) leaveMessage = null;
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [message]);
}

if (typeof window !== 'undefined') {
  // Registered before any view subscribes: a declined back or forward puts the URL back before
  // the views hear of it.
  window.addEventListener('popstate', (e) => {
    const next = location.pathname + location.search;
    if (leaveMessage !== null && pathOf(next) !== pathOf(current) && !window.confirm(leaveMessage)) {
      e.stopImmediatePropagation();
      history.pushState(null, '', current);
      return;
    }
    current = next;
  });
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('popstate', cb);
  window.addEventListener('keel:navigate', cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener('keel:navigate', cb);
  };
}

// Goes to `to` (a path and query) unless a leave guard holds the current path and the user stays.
export function navigate(to: string, replace = false): void {
  if (pathOf(to) !== location.pathname && !confirmLeave()) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  current = location.pathname + location.search;
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
