// The holdings tab's "Refresh prices": for roles that may compute, the account's held symbols are
// synced from the server's market-data provider (a prices.fetch job followed to its end, its
// progress shown), then the summary of what was fetched, what was already up to date and what
// failed, and the holdings are asked for again. A server without a provider (409) says so.
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import type { AccountShow } from '../../api/types';
import { navigate } from '../../app/router';
import { choiceLabel } from '../../app/i18n';
import { useSession } from '../../app/session';
import { ErrorBox } from '../../components/States';
import { fetchPrices, type FetchState, type FetchSummary, type FetchTarget } from './pricesFetch';

export function PricesRefresh({ account }: { account: AccountShow }) {
  const { can, fmt, t, rich } = useSession();
  // New prices move every account's holdings and net worth, not this one's alone.
  const { run, job, noProvider } = usePricesFetch({ account: account.name }, [['ledger'], ['networth'], ['account', account.name]]);
  if (!can('compute')) return null;
  return (
    <section className="prices-refresh" aria-label={t('ledger.px.section')}>
      <div className="actions">
        <button type="button" onClick={() => run.mutate()} disabled={run.isPending}>{t('ledger.px.refresh')}</button>
        <span className="muted small">{t('ledger.px.help')}</span>
      </div>
      {run.isPending && job && (
        <div className="state" role="status" aria-live="polite" data-testid="prices-job" data-status={job.status}>
          {rich('ledger.px.job', { job: <a href={`/jobs/${job.id}`} onClick={(e) => { e.preventDefault(); navigate(`/jobs/${job.id}`); }}>{job.id}</a> })}{' '}
          <span data-field="status">{choiceLabel(t, 'status', job.status)}</span>
          {job.status === 'running' && <> {fmt.pct(job.progress ?? 0, 0)}</>}
          {job.message && <> — {job.message}</>}
          <progress max={1} value={job.progress ?? 0} aria-label={t('ledger.px.progress')} />
        </div>
      )}
      {noProvider && <div className="error" role="alert" data-testid="prices-no-provider">{t('ledger.px.noProvider')}</div>}
      <ErrorBox error={run.error} />
      {run.data && <Summary s={run.data} />}
    </section>
  );
}

export function Summary({ s }: { s: FetchSummary }) {
  const { fmt, t } = useSession();
  return (
    <div data-testid="prices-summary">
      <p role="status" className={s.failed > 0 ? 'warning' : 'ok'}>
        {t('ledger.px.done', { fetched: fmt.num(s.counts.fetched, 0), current: fmt.num(s.counts.up_to_date, 0), failed: fmt.num(s.failed, 0) })}
      </p>
      <table className="list" aria-label={t('ledger.px.table')}>
        <thead><tr><th scope="col">{t('common.symbol')}</th><th scope="col">{t('common.status')}</th><th className="num" scope="col">{t('ledger.px.newPrices')}</th></tr></thead>
        <tbody>
          {s.symbols.map((x) => (
            <tr key={x.symbol} data-symbol={x.symbol} className={x.status === 'failed' ? 'bad' : ''}>
              <td>{x.symbol}</td>
              <td data-field="status" data-status={x.status}>{choiceLabel(t, 'fetch', x.status)}</td>
              <td className="num" data-field="new_bars">{x.new_bars === null ? '' : fmt.num(x.new_bars, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
    </div>
  );
}

// A prices.fetch job for `target` as a mutation (the holdings tab's "Refresh prices",
// the readiness panel's "Fetch the missing prices"): the job's latest state while it runs, a
// request aborted when the component goes, and the query keys `invalidate` asked for again once
// it ends. `noProvider` is the server's 409: it has no market-data provider.
export function usePricesFetch(target: FetchTarget, invalidate: readonly (readonly unknown[])[]) {
  const { t } = useSession();
  const qc = useQueryClient();
  const [job, setJob] = useState<FetchState | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const run = useMutation({
    mutationFn: () => {
      abort.current?.abort();
      abort.current = new AbortController();
      setJob(null);
      return fetchPrices(target, setJob, abort.current.signal, t);
    },
    onSettled: () => {
      for (const queryKey of invalidate) void qc.invalidateQueries({ queryKey: [...queryKey] });
    },
  });
  const noProvider = run.error instanceof ApiError && run.error.status === 409;
  return { run, job, noProvider };
}
