// One ledger account: holdings with the allocation donut, transaction import, open lots (method
// switch, specific-lot sale), realized gains by tax year, reconciliation against a broker file,
// net worth over time and performance. The tab and its parameters live in the URL
// (/ledger/NAME?tab=lots&method=hifo); every figure is the API's.
import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { AccountShow } from '../../api/types';
import { navigate, useLocation } from '../../app/router';
import { useTitle } from '../../app/title';
import { ErrorBox, Loading } from '../../components/States';
import { pickTab, Tabs } from '../../components/Tabs';
import { ImportTab } from './ImportTab';
import { LotsTab } from './LotsTab';
import { GainsTab, HoldingsTab, NetworthTab, PerformanceTab, ReconcileTab } from './AccountTabs';

const TABS = ['holdings', 'import', 'lots', 'gains', 'reconcile', 'networth', 'performance'] as const;
export type AccountTab = (typeof TABS)[number];
const LABELS: Record<AccountTab, string> = {
  holdings: 'Holdings', import: 'Import transactions', lots: 'Open lots', gains: 'Realized gains', reconcile: 'Reconcile',
  networth: 'Net worth', performance: 'Performance',
};

export function AccountView({ name }: { name: string }) {
  const { query } = useLocation();
  const tab = pickTab(TABS, query.get('tab'), 'holdings');
  const account = useQuery({ queryKey: ['account', name], queryFn: () => api<AccountShow>('GET', `/api/v1/accounts/${seg(name)}`) });
  const a = account.data;
  useTitle(`${name} (ledger)`);
  return (
    <section>
      <div className="titlebar">
        <h1>
          <a href="/ledger" onClick={(e) => { e.preventDefault(); navigate('/ledger'); }}>Ledger</a> / {name}
        </h1>
        {a && (
          <span className="muted" data-testid="account-summary">
            {a.method} · {a.currency} · {a.transactions} transactions{a.first_date ? ` · ${a.first_date} to ${a.last_date}` : ''}
          </span>
        )}
      </div>
      {account.isLoading && <Loading what="the account" />}
      <ErrorBox error={account.error} />
      {a?.problems && a.problems.map((p, i) => <div key={i} className="warning">{p}</div>)}
      <Tabs tabs={TABS} labels={LABELS} current={tab} label="Account views">
        {a && tab === 'holdings' && <HoldingsTab account={a} query={query} />}
        {a && tab === 'import' && <ImportTab account={a} />}
        {a && tab === 'lots' && <LotsTab account={a} query={query} />}
        {a && tab === 'gains' && <GainsTab account={a} query={query} />}
        {a && tab === 'reconcile' && <ReconcileTab account={a} />}
        {a && tab === 'networth' && <NetworthTab account={a} query={query} />}
        {a && tab === 'performance' && <PerformanceTab account={a} query={query} />}
      </Tabs>
    </section>
  );
}
