// The account's income (GET …/income?from=&to=&by=): the last and next twelve months and the yield
// on cost, income by month (or quarter, year, symbol) as bars of net and withheld, each holding's
// yields, frequency and next payment, the calendar of expected payments of the next twelve months
// and every payment of the range. Amounts are in the account's currency.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { api } from '../../api/client';
import type { AccountShow, IncomeGroup, IncomePayment, IncomeResult } from '../../api/types';
import { setQuery } from '../../app/router';
import { useSession } from '../../app/session';
import { choiceLabel } from '../../app/i18n';
import { Chart } from '../../components/Chart';
import { DataTable } from '../../components/DataTable';
import { Kpi } from '../../components/Kpi';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { RangeControls } from './NetworthParts';
import { calendarByMonth, makeAmount, yieldOnCost } from './income';

const BY = ['month', 'quarter', 'year', 'symbol'] as const;
type By = (typeof BY)[number];

function params(entries: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(entries)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function IncomeTab({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { fmt, t } = useSession();
  const amount = useMemo(() => makeAmount(fmt.locale), [fmt.locale]);
  const cur = account.currency;
  const money = (x: number | null | undefined) => amount(x, cur);
  const by: By = (BY as readonly string[]).includes(query.get('by') ?? '') ? (query.get('by') as By) : 'month';
  const path = `/api/v1/accounts/${account.id}/income${params({ by, from: query.get('from'), to: query.get('to') })}`;
  const q = useQuery({ queryKey: ['ledger', path], queryFn: () => api<IncomeResult>('GET', path) });
  const groupKey = (k: string) => (by === 'symbol' && k === '' ? t('ledger.inc.cash') : k);
  const monthName = useMemo(() => {
    const f = new Intl.DateTimeFormat(fmt.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    return (ym: string) => f.format(new Date(`${ym}-01T00:00:00Z`));
  }, [fmt.locale]);
  const paymentColumns = useMemo<ColumnDef<IncomePayment, unknown>[]>(() => {
    const m = (k: keyof IncomePayment, header: string): ColumnDef<IncomePayment, unknown> => ({
      accessorKey: k, header, meta: { num: true }, cell: (c) => amount(c.getValue() as number, cur),
    });
    return [
      { accessorKey: 'date', header: t('common.date'), cell: (c) => fmt.date(c.getValue() as string) },
      { accessorKey: 'symbol', header: t('common.symbol'), cell: (c) => (c.getValue() as string) || t('ledger.inc.cash') },
      { accessorKey: 'kind', header: t('ledger.inc.kind'), cell: (c) => choiceLabel(t, 'kind', c.getValue() as string) },
      m('gross', t('ledger.inc.gross')),
      m('withholding', t('ledger.inc.withheld')),
      m('net', t('ledger.inc.net')),
      m('reinvested', t('ledger.inc.reinvested')),
    ];
  }, [fmt, t, amount, cur]);

  const controls = (
    <>
      <form className="params" aria-label={t('ledger.inc.params')} onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="income-by">
          {t('ledger.inc.by')}
          <select id="income-by" value={by} onChange={(e) => setQuery({ by: e.target.value === 'month' ? null : e.target.value })}>
            {BY.map((b) => <option key={b} value={b}>{choiceLabel(t, 'incomeBy', b)}</option>)}
          </select>
        </label>
      </form>
      <RangeControls query={query} />
    </>
  );
  if (q.isLoading) return <>{controls}<Loading what={t('ledger.loading.income')} /></>;
  if (q.error) return <>{controls}<ErrorBox error={q.error} /></>;
  const d = q.data!;
  const from = d.from ?? '';
  const calendar = calendarByMonth(d.calendar, d.to);
  const yoc = yieldOnCost(d.holdings);
  const byLabel = choiceLabel(t, 'incomeBy', by);
  const hasIncome = d.from !== null || d.trailing_12m.payments > 0 || d.holdings.some((h) => h.payment_dates > 0);
  return (
    <>
      {controls}
      {d.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
      {!hasIncome ? (
        <Empty>{t('ledger.inc.noIncome')}</Empty>
      ) : (
        <>
          <div className="kpis" data-testid="income-kpis" aria-label={t('ledger.inc.kpis')}>
            <Kpi id="t12_gross" label={t('ledger.inc.t12Gross')}>{money(d.trailing_12m.gross)}</Kpi>
            <Kpi id="t12_net" label={t('ledger.inc.t12Net')}>{money(d.trailing_12m.net)}</Kpi>
            <Kpi id="t12_withholding" label={t('ledger.inc.t12Withheld')}>{money(d.trailing_12m.withholding)}</Kpi>
            <Kpi id="projected_gross" label={t('ledger.inc.projGross')}>{money(d.projected_12m.gross)}</Kpi>
            <Kpi id="projected_net" label={t('ledger.inc.projNet')}>{money(d.projected_12m.net)}</Kpi>
            <Kpi id="yield_on_cost" label={t('ledger.inc.yoc')}>{fmt.pct(yoc)}</Kpi>
          </div>
          <p className="muted small">{t('ledger.inc.yocHelp', { date: fmt.date(d.to) })}</p>
          {d.payments.length === 0 ? (
            <Empty>{t('ledger.inc.noIncomeRange', { from: fmt.date(query.get('from') ?? from), to: fmt.date(d.to) })}</Empty>
          ) : (
            <>
              <p className="muted" data-testid="income-summary">
                {t('ledger.inc.summary', { from: fmt.date(from), to: fmt.date(d.to), payments: fmt.num(d.totals.payments, 0), gross: money(d.totals.gross), withheld: money(d.totals.withholding), net: money(d.totals.net), currency: cur })}
              </p>
              <div data-testid="income-chart"><Chart
                label={t('ledger.inc.chart', { by: byLabel, currency: cur })}
                height={280}
                option={{
                  tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => money(v as number) },
                  legend: {},
                  xAxis: { type: 'category', data: d.groups.map((g) => groupKey(g.key)) },
                  yAxis: { type: 'value', name: cur },
                  series: [
                    { name: t('ledger.inc.net'), type: 'bar', stack: 'gross', color: '#2e7d32', data: d.groups.map((g) => g.totals.net) },
                    { name: t('ledger.inc.withheld'), type: 'bar', stack: 'gross', color: '#b26a00', data: d.groups.map((g) => g.totals.withholding) },
                  ],
                }}
              /></div>
              <GroupsTable groups={d.groups} totals={d.totals} label={t('ledger.inc.groups', { by: byLabel })} byLabel={byLabel} keyOf={groupKey} money={money} />
            </>
          )}
          <h2>{t('ledger.inc.holdings')}</h2>
            <table className="list" aria-label={t('ledger.inc.holdings')}>
              <thead>
                <tr>
                  <th>{t('common.symbol')}</th><th className="num">{t('ledger.inc.shares')}</th><th className="num">{t('ledger.basis')}</th>
                  <th className="num">{t('common.marketValue')}</th><th className="num">{t('ledger.inc.t12')}</th><th>{t('ledger.inc.frequency')}</th>
                  <th>{t('ledger.inc.lastPaid')}</th><th className="num">{t('ledger.inc.perShare')}</th><th className="num">{t('ledger.inc.projected')}</th>
                  <th className="num">{t('ledger.inc.yoc')}</th><th className="num">{t('ledger.inc.currentYield')}</th><th>{t('ledger.inc.nextPayment')}</th>
                </tr>
              </thead>
              <tbody>
                {d.holdings.map((h) => (
                  <tr key={`${h.account}/${h.symbol}`} data-symbol={h.symbol}>
                    <td>{h.symbol}</td>
                    <td className="num">{fmt.num(h.shares, 4)}</td>
                    <td className="num" data-field="basis">{money(h.basis)}</td>
                    <td className="num" data-field="market_value">{money(h.market_value)}</td>
                    <td className="num" data-field="trailing_12m">{money(h.trailing_12m.gross)}</td>
                    <td data-field="frequency">{choiceLabel(t, 'frequency', h.frequency)}</td>
                    <td>{fmt.date(h.last_paid)}</td>
                    <td className="num">{h.last_per_share === null ? '–' : fmt.price(h.last_per_share, cur)}</td>
                    <td className="num" data-field="projected_gross">{money(h.projected_gross)}</td>
                    <td className="num" data-field="yield_on_cost">{fmt.pct(h.yield_on_cost)}</td>
                    <td className="num" data-field="current_yield">{fmt.pct(h.current_yield)}</td>
                    <td data-field="next_payment">{fmt.date(h.next_payment)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          <h2>{t('ledger.inc.calendar')}</h2>
          <p className="muted small">{t('ledger.inc.calendarHelp', { date: fmt.date(d.to) })}</p>
          {d.calendar.length === 0 ? (
            <Empty>{t('ledger.inc.noCalendar')}</Empty>
          ) : (
            <ol className="income-calendar" aria-label={t('ledger.inc.calendar')}>
              {calendar.map((m) => (
                <li key={m.month} data-month={m.month}>
                  <h3>{monthName(m.month)}</h3>
                  {m.payments.length === 0 ? (
                    <p className="muted small">{t('ledger.inc.noneExpected')}</p>
                  ) : (
                    <>
                      <ul>
                        {m.payments.map((p, i) => (
                          <li key={i} data-symbol={p.symbol} data-date={p.date}>
                            <span className="muted small">{fmt.date(p.date)}</span> <strong>{p.symbol}</strong>{' '}
                            <span data-field="gross">{money(p.gross)}</span>
                            {p.withholding !== 0 && <span className="muted small"> ({t('ledger.inc.withholding', { amount: money(p.withholding) })})</span>}
                          </li>
                        ))}
                      </ul>
                      <p className="small" data-field="month_total">{t('ledger.inc.monthTotal', { gross: money(m.gross), net: money(m.net) })}</p>
                    </>
                  )}
                </li>
              ))}
            </ol>
          )}
          {d.payments.length > 0 && (
            <>
              <h2>{t('ledger.inc.paymentsTable', { from: fmt.date(from), to: fmt.date(d.to) })}</h2>
              <DataTable data={d.payments} columns={paymentColumns} label={t('ledger.inc.paymentsTable', { from: fmt.date(from), to: fmt.date(d.to) })} height={320} />
            </>
          )}
        </>
      )}
    </>
  );
}

function GroupsTable({ groups, totals, label, byLabel, keyOf, money }: {
  groups: IncomeGroup[];
  totals: IncomeGroup['totals'];
  label: string;
  byLabel: string;
  keyOf: (k: string) => string;
  money: (x: number) => string;
}) {
  const { t, fmt } = useSession();
  const cells = (x: IncomeGroup['totals']) => (
    <>
      <td className="num" data-field="gross">{money(x.gross)}</td>
      <td className="num" data-field="withholding">{money(x.withholding)}</td>
      <td className="num" data-field="net">{money(x.net)}</td>
      <td className="num">{money(x.dividends)}</td>
      <td className="num">{money(x.interest)}</td>
      <td className="num">{money(x.distributions)}</td>
      <td className="num">{money(x.reinvested)}</td>
      <td className="num">{fmt.num(x.payments, 0)}</td>
    </>
  );
  return (
      <table className="list" aria-label={label}>
        <thead>
          <tr>
            <th>{byLabel}</th><th className="num">{t('ledger.inc.gross')}</th><th className="num">{t('ledger.inc.withheld')}</th><th className="num">{t('ledger.inc.net')}</th>
            <th className="num">{t('ledger.dividends')}</th><th className="num">{t('ledger.interest')}</th><th className="num">{t('ledger.inc.distributions')}</th>
            <th className="num">{t('ledger.inc.reinvested')}</th><th className="num">{t('ledger.inc.payments')}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => <tr key={g.key} data-key={g.key}><td>{keyOf(g.key)}</td>{cells(g.totals)}</tr>)}
        </tbody>
        <tfoot>
          <tr data-key="total"><th scope="row">{t('ledger.inc.total')}</th>{cells(totals)}</tr>
        </tfoot>
      </table>
  );
}
