// Live updates: while a user is signed in, the app keeps one stream of the tenant's portfolio
// changes open (GET /api/v1/events, server-sent events read with fetch so the bearer token travels
// in a header). When another browser, a job or the daily batch changes a portfolio — positions
// imported, a snapshot stored, a VaR kept — the server sends `portfolio.changed`, and the queries
// that show that portfolio (and the portfolio lists) are invalidated: the views on screen load the
// new figures without a reload. Computations are not re-run by a change (applyChange). The stream is opened again after it ends (server restart, network).
// A stream lasts as long as its token: after `event: revoked` (the token expired, was signed out,
// its user disabled or changed) or a 401 it is opened again at once with the token that replaces it
// (a refresh, here or in another tab; a password change), and not when the sign-in is over.
// A CLO determination that finds a breach or an alert (the batch's clo step, another user's
// "keep this date") sends `clo.changed`: the deal's determinations and the deal lists are read
// again (applyCloChange) and the header shows one notice of it (useCloNotice) until dismissed.
// The end of one of the signed-in user's jobs (`job.finished`, sent to that user's streams only)
// reads the job and the job lists again and shows a notice of it (src/app/jobNotices.ts); an import
// with warnings (`import.warnings`, to the importer's streams only) shows one among them.
import { useEffect, useSyncExternalStore } from 'react';
import { useQueryClient, type Query, type QueryClient } from '@tanstack/react-query';
import { currentToken, eventsOf, replacedToken } from '../api/client';
import { applyImportWarnings, applyJobFinished, clearJobNotices, parseImportWarnings, parseJobFinished } from './jobNotices';

export interface PortfolioChanged {
  type: 'portfolio.changed';
  portfolio_id: number;
  portfolio: string;
  what: string; // positions, portfolio, deleted, snapshot, var
}

export interface CloChanged {
  type: 'clo.changed';
  deal_id: number;
  deal: string;
  what: 'breach' | 'alert';
}

export interface StreamEvent {
  event: string;
  data: string;
}

// Reads server-sent events from `body` and calls `on` with each (comments and heartbeats skipped),
// until the stream ends.
export async function readEvents(body: NonNullable<Response['body']>, on: (e: StreamEvent) => void): Promise<void> {
  for await (const e of eventsOf(body)) on(e);
}

// The queries a change of `name` makes stale: the lists of portfolios (their counts and values),
// and every query keyed by that portfolio's name — but not the positions editor's stored rows,
// which a person may be editing (its save tells of a conflict instead).
export function showsPortfolio(query: Pick<Query, 'queryKey'>, name: string): boolean {
  const [kind, portfolio] = query.queryKey;
  if (kind === 'portfolios') return true;
  return portfolio === name && kind !== 'positions';
}

// The queries that run a computation (a POST to a compute route, which may queue a job) rather
// than read what is stored.
export function runsComputation(query: Pick<Query, 'queryKey'>): boolean {
  const [kind] = query.queryKey;
  return kind === 'compute' || kind === 'attribution';
}

// The changes that alter what a computation reads: the positions, the portfolio's settings (its
// reporting currency), the portfolio itself. A snapshot or a kept VaR does not.
const INPUT_CHANGES: ReadonlySet<string> = new Set(['positions', 'portfolio', 'deleted']);

// Live updates refresh what is shown, they never restart a computation: the stored reads of the
// portfolio are fetched again at once; a computation is only marked stale when its inputs changed,
// and runs again when its view is next opened or focused. So a job whose end is announced (a VaR
// kept: what "var") can never queue the computation that announced it again.
export function applyChange(qc: QueryClient, change: PortfolioChanged): void {
  void qc.invalidateQueries({ predicate: (q) => showsPortfolio(q, change.portfolio) && !runsComputation(q) });
  if (INPUT_CHANGES.has(change.what)) {
    void qc.invalidateQueries({ predicate: (q) => showsPortfolio(q, change.portfolio) && runsComputation(q), refetchType: 'none' });
  }
}

// The stored reads a CLO determination changes: the deal's kept determinations, the deal itself
// (every version read) and the lists of deals. Keys hold the deal's id as the URL gives it (text).
// Runs (clo-run, clo-mc: computations) are left alone.
export function showsCloDeal(query: Pick<Query, 'queryKey'>, dealId: number): boolean {
  const [kind, id] = query.queryKey;
  if (kind === 'clo-deals') return true;
  return (kind === 'clo-determinations' || kind === 'clo-deal') && String(id) === String(dealId);
}

export function applyCloChange(qc: QueryClient, change: CloChanged): void {
  void qc.invalidateQueries({ predicate: (q) => showsCloDeal(q, change.deal_id) });
  setCloNotice(change);
}

// The header's one CLO notice: the latest change heard, except that an alert does not hide a
// breach of the same deal not yet dismissed. null: none.
let notice: CloChanged | null = null;
const noticeListeners = new Set<() => void>();

export function setCloNotice(change: CloChanged | null): void {
  if (change && notice && notice.deal_id === change.deal_id && notice.what === 'breach' && change.what !== 'breach') return;
  notice = change;
  for (const l of [...noticeListeners]) l();
}

export function cloNotice(): CloChanged | null {
  return notice;
}

export function subscribeCloNotice(listener: () => void): () => void {
  noticeListeners.add(listener);
  return () => noticeListeners.delete(listener);
}

export function useCloNotice(): CloChanged | null {
  return useSyncExternalStore(subscribeCloNotice, cloNotice, () => null);
}

// One event of the stream applied; true when it was `revoked`.
export function applyEvent(qc: QueryClient, e: StreamEvent): boolean {
  if (e.event === 'revoked') return true;
  try {
    if (e.event === 'portfolio.changed') applyChange(qc, JSON.parse(e.data) as PortfolioChanged);
    else if (e.event === 'clo.changed') {
      const c = JSON.parse(e.data) as CloChanged;
      if (typeof c.deal_id === 'number' && (c.what === 'breach' || c.what === 'alert')) applyCloChange(qc, c);
    } else if (e.event === 'job.finished') {
      const j = parseJobFinished(e.data);
      if (j) applyJobFinished(qc, j);
    } else if (e.event === 'import.warnings') {
      const w = parseImportWarnings(e.data);
      if (w) applyImportWarnings(w);
    }
  } catch {
    // An event this app cannot read is skipped; the stream goes on.
  }
  return false;
}

// How the stream gets its token (src/api/client.ts): the one to send now, refreshed when about to
// expire, and the one that replaces a refused token (null: none, the sign-in is over).
export interface StreamTokens {
  current: () => Promise<string | null>;
  replaced: (refused: string) => Promise<string | null>;
}
const signInTokens: StreamTokens = { current: currentToken, replaced: replacedToken };

// Opens the tenant's stream and applies each change until `signal` aborts; reconnects after a
// pause (1 s, doubling to 30 s; back to 1 s once a stream opened), and at once with a new token
// when the stream's was refused or revoked. Ends when signed out or not allowed (403).
export async function followChanges(
  qc: QueryClient,
  signal: AbortSignal,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
  tokens: StreamTokens = signInTokens,
): Promise<void> {
  let pause = 1000;
  while (!signal.aborted) {
    try {
      const sent = await tokens.current();
      if (sent === null) return;
      const res = await fetch('/api/v1/events', { headers: { Authorization: `Bearer ${sent}`, Accept: 'text/event-stream' }, signal });
      if (res.status === 403) return;
      let refused = res.status === 401;
      if (res.ok && res.body) {
        pause = 1000;
        await readEvents(res.body, (e) => {
          if (applyEvent(qc, e)) refused = true;
        });
      }
      if (refused) {
        if (signal.aborted || (await tokens.replaced(sent)) === null) return;
        continue;
      }
    } catch {
      if (signal.aborted) return;
    }
    if (signal.aborted) return;
    await sleep(pause);
    pause = Math.min(30_000, pause * 2);
  }
}

// The pause after the page's load before the stream opens: a stream is a request that never ends,
// and opened with the page it would hold the page's load open (browsers and audit tools wait for
// it); a change made in that second is heard when the stream starts, as the views load then.
export const STREAM_DELAY_MS = 1000;

// Follows the tenant's changes while `user` (the signed-in user's name) is set, from a moment after
// the page has loaded; a new `generation` (a new token: a password change revoked the old one and
// its stream) opens the stream again with the token now held.
export function useLiveUpdates(user: string | undefined, generation = 0): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (!user) {
      // Signed out: the last user's notices go with them.
      setCloNotice(null);
      clearJobNotices();
      return;
    }
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => {
      timer = setTimeout(() => void followChanges(qc, ac.signal), STREAM_DELAY_MS);
    };
    if (document.readyState === 'complete') later();
    else window.addEventListener('load', later, { once: true });
    return () => {
      ac.abort();
      clearTimeout(timer);
      window.removeEventListener('load', later);
    };
  }, [user, generation, qc]);
}
