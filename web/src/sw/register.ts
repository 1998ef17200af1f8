// Registers the service worker (/sw.js, written by the build: src/sw/worker.ts) in production
// builds (main.tsx), and tells the shell when a new build has taken over this page: a new version
// of sw.js installs in the background, takes over at once and deletes the old version's cache, and
// the page — still running the old build's code — offers "Reload to update" (App.tsx). A page
// loaded after that runs the new build.
import { useSyncExternalStore } from 'react';

let updated = false;
const listeners = new Set<() => void>();

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const sw = navigator.serviceWorker;
  // No controller yet: the first worker to take control is this build's own, not an update.
  const hadController = sw.controller !== null;
  sw.addEventListener('controllerchange', () => {
    if (!hadController || updated) return;
    updated = true;
    for (const l of [...listeners]) l();
  });
  const register = () => {
    sw.register('/sw.js').catch(() => {
      // No worker (an old server, a private window that refuses them): the app works online as before.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

// True once a new build's worker controls this page.
export function useUpdateReady(): boolean {
  return useSyncExternalStore(subscribe, () => updated, () => false);
}
