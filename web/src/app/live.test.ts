// Live updates: the server-sent events are read as the WHATWG rules frame them (blocks ended by a
// blank line, comments skipped, a data field's one leading space dropped, CRLF line endings), and a
// portfolio.changed event invalidates exactly the queries that show that portfolio.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { applyChange, applyEvent, cloNotice, followChanges, readEvents, setCloNotice, showsPortfolio, type StreamEvent } from './live';

// A body delivered in the chunks given (split anywhere, as a network does).
function body(...chunks: string[]): NonNullable<Response['body']> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(enc.encode(x));
      c.close();
    },
  }) as NonNullable<Response['body']>;
}

describe('readEvents', () => {
  it('frames events across chunk boundaries and skips comments and heartbeats', async () => {
    const seen: StreamEvent[] = [];
    await readEvents(
      body(': portfolio changes\n\n', 'event: portfolio.changed\ndata: {"portfolio":"a",', '"portfolio_id":3}\n\n: keep-alive\n\n', 'event: portfolio.changed\r\ndata: {"portfolio":"b"}\r\n\r\n'),
      (e) => seen.push(e),
    );
    expect(seen).toEqual([
      { event: 'portfolio.changed', data: '{"portfolio":"a","portfolio_id":3}' },
      { event: 'portfolio.changed', data: '{"portfolio":"b"}' },
    ]);
  });

  it('joins multi-line data with a line feed and names an unnamed event "message"', async () => {
    const seen: StreamEvent[] = [];
    await readEvents(body('data: one\ndata:two\n\n'), (e) => seen.push(e));
    expect(seen).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });
});

describe('which queries a change makes stale', () => {
  it("the portfolio's own queries and the lists, not another portfolio's nor the positions editor's", () => {
    const name = 'hnw';
    const q = (...key: unknown[]) => ({ queryKey: key });
    expect(showsPortfolio(q('portfolios'), name)).toBe(true);
    expect(showsPortfolio(q('portfolio', 'hnw'), name)).toBe(true);
    expect(showsPortfolio(q('report', 'hnw', null), name)).toBe(true);
    expect(showsPortfolio(q('compute', 'hnw', 'risk/var', {}), name)).toBe(true);
    expect(showsPortfolio(q('history', 'hnw'), name)).toBe(true);
    expect(showsPortfolio(q('portfolio', 'balanced'), name)).toBe(false);
    expect(showsPortfolio(q('positions', 'hnw'), name)).toBe(false);
    expect(showsPortfolio(q('accounts'), name)).toBe(false);
  });

  it('applyChange marks exactly those queries invalid in a query client', async () => {
    const qc = new QueryClient();
    for (const key of [['portfolios'], ['portfolio', 'hnw'], ['portfolio', 'balanced'], ['positions', 'hnw']]) qc.setQueryData(key, 1);
    applyChange(qc, { type: 'portfolio.changed', portfolio_id: 2, portfolio: 'hnw', what: 'positions' });
    const stale = (key: string[]) => qc.getQueryState(key)?.isInvalidated;
    expect(stale(['portfolios'])).toBe(true);
    expect(stale(['portfolio', 'hnw'])).toBe(true);
    expect(stale(['portfolio', 'balanced'])).toBe(false);
    expect(stale(['positions', 'hnw'])).toBe(false);
  });

  it('never re-runs a computation: a kept VaR leaves it alone, new positions mark it stale without a fetch', async () => {
    const qc = new QueryClient();
    let runs = 0;
    const compute = ['compute', 'hnw', 'risk/var', { method: 'all' }];
    const observer = new QueryObserver(qc, { queryKey: compute, queryFn: async () => ++runs, staleTime: Infinity });
    const unsubscribe = observer.subscribe(() => {});
    await vi.waitFor(() => expect(runs).toBe(1));
    qc.setQueryData(['report', 'hnw', null], 1);
    // The VaR job's end (a VaR kept) and a batch snapshot: the report is read again, the VaR is not.
    applyChange(qc, { type: 'portfolio.changed', portfolio_id: 2, portfolio: 'hnw', what: 'var' });
    applyChange(qc, { type: 'portfolio.changed', portfolio_id: 2, portfolio: 'hnw', what: 'snapshot' });
    expect(qc.getQueryState(['report', 'hnw', null])?.isInvalidated).toBe(true);
    expect(qc.getQueryState(compute)?.isInvalidated).toBe(false);
    // New positions: the VaR is stale, but nothing runs until the view asks again.
    applyChange(qc, { type: 'portfolio.changed', portfolio_id: 2, portfolio: 'hnw', what: 'positions' });
    expect(qc.getQueryState(compute)?.isInvalidated).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toBe(1);
    unsubscribe();
  });
});

// The sign-in's tokens as the stream sees them: `first` held, then each of `next` in place of a
// refused one (null: none, the sign-in is over).
function tokens(first: string | null, next: (string | null)[] = []) {
  let held = first;
  const refused: string[] = [];
  return {
    refused,
    current: async () => held,
    replaced: async (t: string) => {
      refused.push(t);
      const n = next.shift() ?? null;
      if (n) held = n;
      return n;
    },
  };
}

describe('followChanges', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('opens the stream again after it ends, and stops on a 401', async () => {
    const qc = new QueryClient();
    qc.setQueryData(['portfolio', 'x'], 1);
    const calls: string[] = [];
    const answers = [
      () => new Response(body('event: portfolio.changed\ndata: {"type":"portfolio.changed","portfolio_id":1,"portfolio":"x","what":"var"}\n\n'), { status: 200 }),
      () => new Response('{}', { status: 401 }),
    ];
    const sent: string[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push(url);
      sent.push((init.headers as Record<string, string>).Authorization!);
      return answers.shift()!();
    });
    const pauses: number[] = [];
    const t = tokens('tok');
    await followChanges(qc, new AbortController().signal, async (ms) => void pauses.push(ms), t);
    expect(calls).toEqual(['/api/v1/events', '/api/v1/events']);
    expect(sent).toEqual(['Bearer tok', 'Bearer tok']);
    expect(t.refused).toEqual(['tok']); // nothing replaced it: the sign-in is over
    expect(pauses).toEqual([1000]);
    expect(qc.getQueryState(['portfolio', 'x'])?.isInvalidated).toBe(true);
  });

  it('does not open the stream again after event: revoked when nothing replaces the token', async () => {
    const qc = new QueryClient();
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push(url);
      return new Response(body('event: revoked\ndata: {"reason":"revoked"}\n\n'), { status: 200 });
    });
    const pauses: number[] = [];
    const t = tokens('tok');
    await followChanges(qc, new AbortController().signal, async (ms) => void pauses.push(ms), t);
    expect(calls).toEqual(['/api/v1/events']);
    expect(t.refused).toEqual(['tok']);
    expect(pauses).toEqual([]);
  });

  it('opens the stream again at once with the token that replaces a revoked or refused one', async () => {
    const qc = new QueryClient();
    const answers = [
      () => new Response(body('event: revoked\ndata: {"reason":"expired"}\n\n'), { status: 200 }),
      () => new Response('{}', { status: 401 }),
      () => new Response(body(': hello\n\n'), { status: 200 }),
      () => new Response('{}', { status: 401 }),
    ];
    const sent: string[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      sent.push((init.headers as Record<string, string>).Authorization!);
      return answers.shift()!();
    });
    const pauses: number[] = [];
    const t = tokens('t1', ['t2', 't3', null]);
    await followChanges(qc, new AbortController().signal, async (ms) => void pauses.push(ms), t);
    expect(sent).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t3', 'Bearer t3']);
    expect(t.refused).toEqual(['t1', 't2', 't3']);
    expect(pauses).toEqual([1000]); // only after the stream that ended on its own
  });

  it('opens no stream without a sign-in, nor after a 403', async () => {
    const qc = new QueryClient();
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push(url);
      return new Response('{}', { status: 403 });
    });
    await followChanges(qc, new AbortController().signal, async () => {}, tokens(null));
    expect(calls).toEqual([]);
    const t = tokens('tok');
    await followChanges(qc, new AbortController().signal, async () => {}, t);
    expect(calls).toEqual(['/api/v1/events']);
    expect(t.refused).toEqual([]);
  });
});

describe('clo.changed', () => {
  afterEach(() => setCloNotice(null));
  const event = (deal_id: number, what: string, deal = `deal${deal_id}`): StreamEvent => ({
    event: 'clo.changed',
    data: JSON.stringify({ type: 'clo.changed', deal_id, deal, what }),
  });

  it("invalidates the deal's determinations, the deal and the deal lists, not another deal's nor any run", async () => {
    const qc = new QueryClient();
    const keys = [['clo-determinations', '3'], ['clo-deal', '3', null], ['clo-deal', '3', 2], ['clo-deals'], ['clo-determinations', '4'], ['clo-deal', '4', null], ['clo-run', '3', 'run', {}], ['clo-mc', '3', {}], ['portfolio', 'hnw']];
    for (const k of keys) qc.setQueryData(k, 1);
    let runs = 0;
    const run = ['clo-run', '3', 'coverage', { x: 1 }];
    const observer = new QueryObserver(qc, { queryKey: run, queryFn: async () => ++runs, staleTime: Infinity });
    const unsubscribe = observer.subscribe(() => {});
    await vi.waitFor(() => expect(runs).toBe(1));
    expect(applyEvent(qc, event(3, 'breach', 'bsl'))).toBe(false);
    const stale = (key: unknown[]) => qc.getQueryState(key)?.isInvalidated;
    expect(stale(['clo-determinations', '3'])).toBe(true);
    expect(stale(['clo-deal', '3', null])).toBe(true);
    expect(stale(['clo-deal', '3', 2])).toBe(true);
    expect(stale(['clo-deals'])).toBe(true);
    expect(stale(['clo-determinations', '4'])).toBe(false);
    expect(stale(['clo-deal', '4', null])).toBe(false);
    expect(stale(['clo-run', '3', 'run', {}])).toBe(false);
    expect(stale(['clo-mc', '3', {}])).toBe(false);
    expect(stale(['portfolio', 'hnw'])).toBe(false);
    expect(stale(run)).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toBe(1); // never re-run
    expect(cloNotice()).toEqual({ type: 'clo.changed', deal_id: 3, deal: 'bsl', what: 'breach' });
    unsubscribe();
  });

  it('keeps one notice: the latest, but an alert does not hide the same deal\'s breach', () => {
    const qc = new QueryClient();
    applyEvent(qc, event(3, 'alert'));
    expect(cloNotice()?.what).toBe('alert');
    applyEvent(qc, event(3, 'breach'));
    applyEvent(qc, event(3, 'alert'));
    expect(cloNotice()).toMatchObject({ deal_id: 3, what: 'breach' });
    applyEvent(qc, event(5, 'alert'));
    expect(cloNotice()).toMatchObject({ deal_id: 5, what: 'alert' });
    setCloNotice(null);
    expect(cloNotice()).toBeNull();
  });

  it('skips an event it cannot read and reports revoked', () => {
    const qc = new QueryClient();
    expect(applyEvent(qc, { event: 'clo.changed', data: 'not json' })).toBe(false);
    expect(applyEvent(qc, event(3, 'weird'))).toBe(false);
    expect(cloNotice()).toBeNull();
    expect(applyEvent(qc, { event: 'revoked', data: '{}' })).toBe(true);
  });

  it('is heard on the stream', async () => {
    const qc = new QueryClient();
    qc.setQueryData(['clo-determinations', '7'], 1);
    const answers = [() => new Response(body('event: clo.changed\ndata: {"type":"clo.changed","deal_id":7,"deal":"x","what":"alert"}\n\n'), { status: 200 }), () => new Response('{}', { status: 401 })];
    vi.stubGlobal('fetch', async () => answers.shift()!());
    await followChanges(qc, new AbortController().signal, async () => {}, tokens('tok'));
    vi.unstubAllGlobals();
    expect(qc.getQueryState(['clo-determinations', '7'])?.isInvalidated).toBe(true);
    expect(cloNotice()).toMatchObject({ deal_id: 7, deal: 'x', what: 'alert' });
  });
});
