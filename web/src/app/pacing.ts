// Pacing after a 429: keel serve limits each user's requests (a token bucket, docs/server.md,
// "Limits"), and a refusal says in Retry-After when a token is back. The api() client waits that
// long and sends the request again (the server refused it before doing anything, so any method is
// safe to repeat), at most MAX_WAITS times and never longer than MAX_WAIT_S at once; meanwhile the
// app shows ONE banner with the time left, not an error box per view. Views see an error only when
// the waits run out.
import { useSyncExternalStore } from 'react';

export const MAX_WAITS = 3;
export const MAX_WAIT_S = 30;

// The ends (ms since the epoch) of the waits under way; the banner shows the latest.
const waits = new Map<symbol, number>();
let until = 0;
const listeners = new Set<() => void>();

function update(): void {
  const latest = waits.size === 0 ? 0 : Math.max(...waits.values());
  if (latest === until) return;
  until = latest;
  for (const l of [...listeners]) l();
}

// The end (ms since the epoch) of the latest wait under way; 0: none.
export function pacedUntil(): number {
  return until;
}

export function subscribePacing(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// The seconds to wait for a Retry-After header's value: its delay in seconds (or an HTTP date),
// at least 1 and at most MAX_WAIT_S; 1 when it is absent or unreadable.
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  let s = NaN;
  if (header !== null && /^\s*\d+\s*$/.test(header)) s = Number(header);
  else if (header) s = Math.ceil((Date.parse(header) - now) / 1000);
  if (!Number.isFinite(s) || s < 1) s = 1;
  return Math.min(s, MAX_WAIT_S);
}

// Waits `seconds` (or until `signal` aborts, which rejects with its reason), the banner showing
// meanwhile; overlapping waits share one banner, which goes when the last of them ends.
export function pace(seconds: number, signal?: AbortSignal, now = Date.now()): Promise<void> {
  const id = Symbol('wait');
  waits.set(id, now + seconds * 1000);
  update();
  return new Promise<void>((resolve, reject) => {
    const end = () => {
      signal?.removeEventListener('abort', onAbort);
      waits.delete(id);
      update();
    };
    const timer = setTimeout(() => {
      end();
      resolve();
    }, seconds * 1000);
    const onAbort = () => {
      clearTimeout(timer);
      end();
      reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// The seconds of pacing left, for the banner (0: none); re-rendered when pacing starts or ends.
export function usePacing(): number {
  const end = useSyncExternalStore(subscribePacing, pacedUntil, () => 0);
  return end === 0 ? 0 : Math.max(1, Math.ceil((end - Date.now()) / 1000));
}
