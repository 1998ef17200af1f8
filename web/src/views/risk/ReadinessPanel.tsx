// What the portfolio still lacks before its risk runs (GET /api/v1/portfolios/{id}/readiness): a
// line when nothing is missing, else the items grouped by kind, each with the command that gets
// it. The texts of `missing` and `how_to_fix` are the server's (a command is not translated).
// Missing prices have a button too, for the roles that may compute: the portfolio's symbols are
// synced from the server's market-data provider (a prices.fetch job, as the ledger's "Refresh
// prices"), then the panel and the dashboard's figures are asked for again. Missing sectors,
// factor returns and FX rates have one each for the same roles: the security master of the book's
// symbols from the same provider (symbols.fetch), the factor set from Kenneth French's library
// (factors.fetch) and the ECB's rates of the book's currencies (fx.fetch), as the server reaches
// them; missing FX rates also link to the FX rates page (/fx: import a rates file, the stored pairs).
import { useEffect, useRef } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import { choiceLabel } from '../../app/i18n';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { ErrorBox } from '../../components/States';
import { Summary, usePricesFetch } from '../ledger/PricesRefresh';
import { runJob } from '../ledger/pricesFetch';
import { groupReadiness, namedSymbols, type ReadinessReport } from './readiness';

// The kinds the server names, with their labels; a kind this app does not know shows as sent.
const WHAT_LABELS = {
  positions: 'ready.what.positions',
  prices: 'ready.what.prices',
  option_inputs: 'ready.what.option_inputs',
  sectors: 'ready.what.sectors',
  factors: 'ready.what.factors',
  fx: 'ready.what.fx',
} as const;

// The portfolio's readiness (GET …/readiness): one request however many parts of a page ask.
export function useReadiness(portfolio: string) {
  return useQuery({
    queryKey: ['readiness', portfolio],
    queryFn: () => api<ReadinessReport>('GET', `/api/v1/portfolios/${seg(portfolio)}/readiness`),
  });
}

export function ReadinessPanel({ portfolio }: { portfolio: string }) {
  const { t, fmt } = useSession();
  const ready = useReadiness(portfolio);
  const fixes = useFetchFixes(portfolio, ready.data?.window_from ?? null);
  if (ready.error) return <ErrorBox error={ready.error} />;
  const r = ready.data;
  if (!r) return null;
  const windowText = r.window_from && r.window_to ? t('ready.window', { from: fmt.date(r.window_from), to: fmt.date(r.window_to) }) : '';
  if (r.ready) {
    return (
      <p className="muted" data-testid="readiness">
        {t('ready.ok')} {windowText}
      </p>
    );
  }
  const groups = groupReadiness(r.items);
  const whatLabel = (what: string) =>
    what in WHAT_LABELS ? t(WHAT_LABELS[what as keyof typeof WHAT_LABELS]) : what;
  return (
    <details className="panel" data-testid="readiness">
      <summary>
        {t('ready.missing', { count: r.items.length })} {windowText}
      </summary>
      {groups.map((g) => (
        <div key={g.what}>
          <h3>
            {whatLabel(g.what)} <span className="muted">{namedSymbols(g.items).join(', ')}</span>
          </h3>
          {g.what === 'prices' && <FetchMissingPrices portfolio={portfolio} />}
          {fixes[g.what] && <FetchMissing fix={fixes[g.what]!} />}
          {g.what === 'fx' && (
            <p>
              <a href="/fx" data-testid="readiness-fx-page" onClick={(e) => { e.preventDefault(); navigate('/fx'); }}>{t('ready.fxPage')}</a>
            </p>
          )}
          <table className="list" aria-label={whatLabel(g.what)}>
            <thead>
              <tr>
                <th>{t('ready.symbol')}</th>
                <th>{t('ready.what')}</th>
                <th>{t('ready.fix')}</th>
              </tr>
            </thead>
            <tbody>
              {g.items.map((i, k) => (
                <tr key={k}>
                  <td>{i.symbol || '–'}</td>
                  <td style={{ whiteSpace: 'normal' }}>{i.missing}</td>
                  <td style={{ whiteSpace: 'normal' }}><code>{i.how_to_fix}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </details>
  );
}

// New prices change what is missing and every figure of the book.
const AFTER_FETCH = [['readiness'], ['portfolio'], ['report'], ['compute'], ['history']] as const;

function FetchMissingPrices({ portfolio }: { portfolio: string }) {
  const { can, fmt, t } = useSession();
  const { run, job, noProvider } = usePricesFetch({ portfolio }, AFTER_FETCH);
  if (!can('compute')) return null;
  return (
    <div className="actions" data-testid="readiness-fetch-prices">
      <button type="button" onClick={() => run.mutate()} disabled={run.isPending}>{t('ready.fetchPrices')}</button>
      {run.isPending && job && (
        <span role="status" aria-live="polite" data-status={job.status}>
          {choiceLabel(t, 'status', job.status)} {job.status === 'running' && fmt.pct(job.progress ?? 0, 0)}
        </span>
      )}
      {noProvider && <div className="error" role="alert">{t('ledger.px.noProvider')}</div>}
      {!noProvider && <ErrorBox error={run.error} />}
      {run.data && <Summary s={run.data} />}
    </div>
  );
}

// A fix the server runs as a job followed to its end: the security master of the book's symbols
// (symbols.fetch), the factor set's returns (factors.fetch) or the rates the book's currencies
// need (fx.fetch). Its result says what was stored; a server that fetches no market data, or whose
// provider has no reference data (409), says so in the error.
interface FetchFix {
  testId: string;
  path: string;
  body: unknown;
  label: string;
  done: (result: Record<string, unknown>) => string;
}

function FetchMissing({ fix }: { fix: FetchFix }) {
  const { can, t } = useSession();
  const qc = useQueryClient();
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const run = useMutation({
    mutationFn: async () => {
      abort.current?.abort();
      const signal = (abort.current = new AbortController()).signal;
      const job = await runJob(fix.path, fix.body, () => {}, signal,
        (j) => t('ready.jobEnded', { id: j.id, status: choiceLabel(t, 'status', j.status) }));
      const r = job.result;
      return fix.done(typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as Record<string, unknown>) : {});
    },
    onSettled: () => {
      for (const queryKey of AFTER_FETCH) void qc.invalidateQueries({ queryKey: [...queryKey] });
    },
  });
  if (!can('compute')) return null;
  return (
    <div className="actions" data-testid={fix.testId}>
      <button type="button" onClick={() => run.mutate()} disabled={run.isPending}>{fix.label}</button>
      {run.isPending && <span role="status" aria-live="polite">{choiceLabel(t, 'status', 'running')}</span>}
      <ErrorBox error={run.error} />
      {run.data && (
        <span role="status" className="ok" data-testid={`${fix.testId}-summary`}>
          {run.data}
        </span>
      )}
    </div>
  );
}

// The fixes of the kinds the server fetches itself (prices have their own, with per-symbol results).
function useFetchFixes(portfolio: string, windowFrom: string | null): Partial<Record<string, FetchFix>> {
  const { fmt, t } = useSession();
  const n = (x: unknown) => fmt.num(Number(x ?? 0), 0);
  return {
    sectors: {
      testId: 'readiness-fetch-sectors',
      path: '/api/v1/symbols/fetch',
      body: { portfolio },
      label: t('ready.fetchSectors'),
      done: (r) => t('ready.sectorsDone', { fetched: n(r.fetched), current: n(r.up_to_date) }),
    },
    factors: {
      testId: 'readiness-fetch-factors',
      path: '/api/v1/factors/fetch',
      // The set the panel checks (the readiness check's default, ff5).
      body: { dataset: 'ff5' },
      label: t('ready.fetchFactors'),
      done: (r) => t('ready.factorsDone', { rows: n(r.rows), set: String(r.set ?? 'ff5') }),
    },
    fx: {
      testId: 'readiness-fetch-fx',
      path: '/api/v1/fx/fetch',
      // The rates of the risk window (its first day on; none: the server's default, a year back).
      body: windowFrom ? { portfolio, from: windowFrom } : { portfolio },
      label: t('ready.fetchFx'),
      done: (r) => t('ready.fxDone', { rates: n(r.rates) }),
    },
  };
}
