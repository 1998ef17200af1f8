// The personal ledger: the tenant's accounts (create for managers and admins) and the net worth of
// every account together over time, by asset class (recorded snapshots) and by account (each
// account's own history). Every figure is the API's (GET /api/v1/accounts, /api/v1/networth,
// /api/v1/accounts/{id}/networth); the page formats and draws.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { Account, AccountPage, NetworthResult, SnapshotResult } from '../../api/types';
import { navigate, setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { choiceLabel, fieldLabel } from '../../app/i18n';
import { Chart } from '../../components/Chart';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { HoldingsToPortfolio } from './HoldingsToPortfolio';
import { NetworthChart, NetworthTable, RangeControls } from './NetworthParts';

const METHODS = ['fifo', 'lifo', 'hifo', 'average', 'specific'] as const;

export function useAccounts() {
  return useQuery({ queryKey: ['accounts'], queryFn: () => api<AccountPage>('GET', '/api/v1/accounts?limit=500') });
}

export function LedgerView() {
  const { can, fmt, t } = useSession();
  const { query } = useLocation();
  const qc = useQueryClient();
  const accounts = useAccounts();
  const [name, setName] = useState('');
  const [method, setMethod] = useState<(typeof METHODS)[number]>('fifo');
  const create = useMutation({
    mutationFn: () => api<Account>('POST', '/api/v1/accounts', { body: { name, method } }),
    onSuccess: (a) => {
      void qc.invalidateQueries({ queryKey: ['accounts'] });
      navigate(`/ledger/${seg(a.name)}?tab=import`);
    },
  });
  const range = { from: query.get('from'), to: query.get('to') };
  const qs = new URLSearchParams();
  if (range.from) qs.set('from', range.from);
  if (range.to) qs.set('to', range.to);
  const household = useQuery({
    queryKey: ['networth', 'household', range],
    queryFn: () => api<NetworthResult>('GET', `/api/v1/networth?${qs}`),
  });
  const items = accounts.data?.items ?? [];
  const perAccount = useQueries({
    queries: items.map((a) => ({
      queryKey: ['networth', a.id, range],
      queryFn: () => api<NetworthResult>('GET', `/api/v1/accounts/${a.id}/networth?${qs}`),
    })),
  });
  const snapshot = useMutation({
    mutationFn: async () => {
      const asOf = query.get('as_of') || undefined;
      const body = asOf ? { as_of: asOf } : {};
      // The household and each account, at the same date.
      const all = await api<SnapshotResult>('POST', '/api/v1/networth/snapshots', { body });
      for (const a of items) await api<SnapshotResult>('POST', `/api/v1/accounts/${a.id}/snapshots`, { body: { as_of: all.as_of } });
      return all;
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['networth'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <section>
      <h1>{t('ledger.title')}</h1>
      {accounts.isLoading && <Loading what={t('ledger.loading.accounts')} />}
      <ErrorBox error={accounts.error} />
      {accounts.data && items.length === 0 && <Empty>{t(can('manage_portfolios') ? 'ledger.noneCreate' : 'ledger.none')}</Empty>}
      {items.length > 0 && (
        <table className="list" aria-label={t('ledger.accounts')}>
          <thead>
            <tr><th>{t('ledger.account')}</th><th>{fieldLabel(t, 'type')}</th><th>{t('ledger.lotMethod')}</th><th>{t('common.currency')}</th><th className="num">{t('field.transactions')}</th><th>{t('ledger.first')}</th><th>{t('ledger.last')}</th></tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-account={a.name}>
                <td><a href={`/ledger/${seg(a.name)}`} onClick={(e) => { e.preventDefault(); navigate(`/ledger/${seg(a.name)}`); }}>{a.name}</a></td>
                <td>{choiceLabel(t, 'type', a.type)}</td><td>{choiceLabel(t, 'lot', a.method)}</td><td>{a.currency}</td><td className="num">{fmt.num(a.transactions, 0)}</td>
                <td>{fmt.date(a.first_date)}</td><td>{fmt.date(a.last_date)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('manage_portfolios') && (
        <form className="inline" onSubmit={submit} aria-label={t('ledger.createAccount')}>
          <label htmlFor="account-name">{t('ledger.newAccount')}</label>
          <input id="account-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
          <label htmlFor="account-method">{t('ledger.lotMethodLower')}</label>
          <select id="account-method" value={method} onChange={(e) => setMethod(e.target.value as (typeof METHODS)[number])}>
            {METHODS.map((m) => <option key={m} value={m}>{choiceLabel(t, 'lot', m)}</option>)}
          </select>
          <button type="submit" className="primary" disabled={create.isPending}>{t('common.create')}</button>
        </form>
      )}
      <ErrorBox error={create.error} />
      <HoldingsToPortfolio accounts={items} />

      <h2>{t('ledger.networthAll')}</h2>
      <RangeControls query={query} />
      {can('compute') && items.length > 0 && (
        <div className="actions">
          <label htmlFor="snapshot-as-of">{t('ledger.snapshotDate')}</label>
          <input id="snapshot-as-of" type="date" value={query.get('as_of') ?? ''} onChange={(e) => setQuery({ as_of: e.target.value || null })} />
          <button type="button" onClick={() => snapshot.mutate()} disabled={snapshot.isPending}>{t('ledger.snapshotAll')}</button>
          {snapshot.data && <span role="status" className="muted">{t('ledger.recorded', { date: fmt.date(snapshot.data.as_of), value: fmt.num(snapshot.data.net_worth, 2) })}</span>}
        </div>
      )}
      <ErrorBox error={snapshot.error} />
      {household.isLoading && <Loading what={t('ledger.loading.networth')} />}
      <ErrorBox error={household.error} />
      {household.data && household.data.points.length === 0 && <Empty>{t('ledger.noNetworth')}</Empty>}
      {household.data && household.data.points.length > 0 && (
        <>
          <NetworthChart result={household.data} label={t('ledger.networthAllChart')} />
          {items.length > 0 && perAccount.every((q) => q.data) && (
            <div data-testid="networth-by-account"><Chart
              label={t('ledger.networthByAccount')}
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: { type: 'time' },
                yAxis: { type: 'value', scale: true },
                series: perAccount.map((q, i) => ({
                  name: `${items[i]!.name} (${t(q.data!.source === 'snapshots' ? 'ledger.src.snapshots' : 'ledger.src.replay')})`,
                  type: 'line',
                  data: q.data!.points.map((p) => [p.date, p.net_worth]),
                })),
              }}
            /></div>
          )}
          <NetworthTable result={household.data} />
        </>
      )}
    </section>
  );
}
