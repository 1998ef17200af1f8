// Whether keel's server can be reached. Offline is either the browser's own verdict
// (navigator.onLine false, the `offline` event) or a request of the app's that failed at the
// network level (api() reports it: no HTTP answer at all); an HTTP answer of any status reports
// the server reachable again. While the browser is online but the server is unreachable, GET
// /healthz is tried every PROBE_MS (and at once on the `online` event), so the views load again
// without a click when the server is back. React Query follows this state (main.tsx): the queries
// that failed offline load again on the way back.
import { useSyncExternalStore } from 'react';

export const PROBE_MS = 5_000;

let browserOnline = typeof navigator === 'undefined' || navigator.onLine !== false;
let unreachable = false;
let probeTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

export function isOffline(): boolean {
  return !browserOnline || unreachable;
}

export function subscribeOnline(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function update(change: () => void): void {
  const before = isOffline();
  change();
  if (unreachable && browserOnline) schedule();
  else if (probeTimer !== undefined) {
    clearTimeout(probeTimer);
    probeTimer = undefined;
  }
  if (before !== isOffline()) for (const l of [...listeners]) l();
}

function schedule(delay = PROBE_MS): void {
  if (probeTimer !== undefined) return;
  probeTimer = setTimeout(() => {
    probeTimer = undefined;
    void probe();
  }, delay);
}

async function probe(): Promise<void> {
  try {
    await fetch('/healthz', { cache: 'no-store' });
    reportAnswer();
  } catch {
    if (unreachable && browserOnline) schedule();
  }
}

// A request got no HTTP answer (not one the app aborted itself).
export function reportUnreachable(): void {
  update(() => {
    unreachable = true;
  });
}

// A request got an HTTP answer, whatever its status.
export function reportAnswer(): void {
  if (unreachable) {
    update(() => {
      unreachable = false;
    });
  }
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', () =>
    update(() => {
      browserOnline = false;
    }),
  );
  window.addEventListener('online', () => {
    update(() => {
      browserOnline = true;
    });
    if (unreachable) {
      if (probeTimer !== undefined) clearTimeout(probeTimer);
      probeTimer = undefined;
      void probe();
    }
  });
}

// True while keel's server cannot be reached; the component renders again when that changes.
export function useOffline(): boolean {
  return useSyncExternalStore(subscribeOnline, isOffline, () => false);
}
