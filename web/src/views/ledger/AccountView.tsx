// One ledger account: holdings with the allocation donut (and fresh prices from the server's
// market-data provider), income (yields, the calendar of expected payments), its activities (the
// stored transactions, filtered, paged, corrected, removed, added and exported), transaction
// import, open lots (method switch, specific-lot sale), realized gains by tax year, reconciliation
// against a broker file, net worth over time and performance (against a benchmark, in a reporting
// currency) and its settings (type, institution, notes; renamed by a manager); its tearsheet opens
// or downloads from the title bar. The tab and its parameters live in the URL
// (/ledger/NAME?tab=lots&method=hifo); every figure is the API's.
import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { AccountShow } from '../../api/types';
import { navigate, useLocation } from '../../app/router';
import { useTitle } from '../../app/title';
import { choiceLabel } from '../../app/i18n';
import { useSession } from '../../app/session';
import { ErrorBox, Loading } from '../../components/States';
import { pickTab, Tabs } from '../../components/Tabs';
import { ActivitiesTab } from './ActivitiesTab';
import { ImportTab } from './ImportTab';
import { IncomeTab } from './IncomeTab';
import { TearsheetActions } from './TearsheetActions';
import { LotsTab } from './LotsTab';
import { GainsTab, HoldingsTab, NetworthTab, PerformanceTab, ReconcileTab } from './AccountTabs';
import { SettingsTab } from './SettingsTab';

const TABS = ['holdings', 'income', 'transactions', 'import', 'lots', 'gains', 'reconcile', 'networth', 'performance', 'settings'] as const;
export type AccountTab = (typeof TABS)[number];


export function AccountView({ name }: { name: string }) {
  const { query } = useLocation();
  const { t, fmt } = useSession();
  const tab = pickTab(TABS, query.get('tab'), 'holdings');
  const labels = Object.fromEntries(TABS.map((k) => [k, t(`ledger.tab.${k}`)])) as Record<AccountTab, string>;
  const account = useQuery({ queryKey: ['account', name], queryFn: () => api<AccountShow>('GET', `/api/v1/accounts/${seg(name)}`) });
  const a = account.data;
  useTitle(t('ledger.docTitle', { name }));
  return (
    <section>
      <div className="titlebar">
        <h1>
          <a href="/ledger" onClick={(e) => { e.preventDefault(); navigate('/ledger'); }}>{t('ledger.title')}</a> / {name}
        </h1>
        {a && (
          <span className="muted" data-testid="account-summary">
            {choiceLabel(t, 'type', a.type)}{a.institution ? ` · ${a.institution}` : ''} · {choiceLabel(t, 'lot', a.method)} · {a.currency} · {t('ledger.txCount', { count: a.transactions })}{a.first_date ? ` · ${t('ledger.range', { from: fmt.date(a.first_date), to: fmt.date(a.last_date) })}` : ''}
          </span>
        )}
        {a && <TearsheetActions account={a} query={query} />}
      </div>
      {account.isLoading && <Loading what={t('ledger.loading.account')} />}
      <ErrorBox error={account.error} />
      {a?.problems && a.problems.map((p, i) => <div key={i} className="warning">{p}</div>)}
      <Tabs tabs={TABS} labels={labels} current={tab} label={t('ledger.accountViews')}>
        {a && tab === 'holdings' && <HoldingsTab account={a} query={query} />}
        {a && tab === 'income' && <IncomeTab account={a} query={query} />}
        {a && tab === 'transactions' && <ActivitiesTab account={a} query={query} />}
        {a && tab === 'import' && <ImportTab account={a} />}
        {a && tab === 'lots' && <LotsTab account={a} query={query} />}
        {a && tab === 'gains' && <GainsTab account={a} query={query} />}
        {a && tab === 'reconcile' && <ReconcileTab account={a} />}
        {a && tab === 'networth' && <NetworthTab account={a} query={query} />}
        {a && tab === 'performance' && <PerformanceTab account={a} query={query} />}
        {a && tab === 'settings' && <SettingsTab key={`${a.id}:${a.name}`} account={a} />}
      </Tabs>
    </section>
  );
}
