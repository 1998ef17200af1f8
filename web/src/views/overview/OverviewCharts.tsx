// The overview's charts (ECharts through Chart.tsx, which loads it after the figures): the net worth
// history per currency and the allocation donuts.
import { useState } from 'react';
import type { PlainKey } from '../../app/i18n';
import { useSession } from '../../app/session';
import { tip } from '../../app/text';
import { Chart } from '../../components/Chart';
import { allocation, historyByCurrency, type AllocationKey, type Series } from './summary';

// One chart per currency: a line per portfolio and for the ledger, and their total where every one
// of them has a point at the same date.
export default function HistoryCharts({ series }: { series: Series[] }) {
  const { fmt, t } = useSession();
  const { groups, unsummed } = historyByCurrency(series);
  if (groups.length === 0 && unsummed.length === 0) return null;
  return (
    <>
      {groups.map((g) => (
        <figure key={g.currency} className="overview-figure" data-testid="history-chart" data-currency={g.currency}>
          <Chart
            label={t(g.total.length ? 'overview.chart.historyTotal' : 'overview.chart.history', { currency: g.currency, names: g.series.map((s) => s.name).join(', ') })}
            height={300}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { type: 'scroll', top: 0 },
              grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
              xAxis: { type: 'time' },
              yAxis: { type: 'value', scale: true, name: g.currency, axisLabel: { formatter: (v: number) => fmt.money(v) } },
              series: [
                ...g.series.map((s) => ({ name: s.name, type: 'line', showSymbol: s.points.length < 40, data: s.points })),
                ...(g.total.length ? [{ name: t('overview.chart.total'), type: 'line', lineStyle: { width: 3 }, showSymbol: g.total.length < 40, data: g.total }] : []),
              ],
            }}
          />
          <figcaption className="muted small">
            {t(g.total.length ? 'overview.chart.captionTotal' : 'overview.chart.caption', { currency: g.currency })}
          </figcaption>
        </figure>
      ))}
      {unsummed.length > 0 && (
        <p className="muted">{t('overview.chart.unsummed', { list: unsummed.map((s) => s.name).join(', ') })}</p>
      )}
    </>
  );
}

const KEYS: { key: AllocationKey; title: PlainKey; by: PlainKey }[] = [
  { key: 'type', title: 'overview.alloc.type', by: 'overview.alloc.by.type' },
  { key: 'sector', title: 'overview.alloc.sector', by: 'overview.alloc.by.sector' },
  { key: 'currency', title: 'overview.alloc.currency', by: 'overview.alloc.by.currency' },
];

interface Position {
  currency: string;
  market_value: number | null | undefined;
  // The currency market_value is in: its book's reporting currency.
  book_currency?: string;
  type: string;
  sector?: string | null;
}

// Donuts of the positions' net market value by asset type, sector and currency, in one currency at
// a time (chosen when there are several: shares of one whole are never taken across currencies).
export function AllocationCharts({ positions }: { positions: Position[] }) {
  const { fmt, t } = useSession();
  const byCurrency = allocation(positions, 'currency', t);
  const currencies = byCurrency.map((a) => a.currency);
  const [chosen, setChosen] = useState<string | null>(null);
  // At first the currency most positions are in (a count, not an amount: currencies are not compared).
  const count = (c: string) => positions.filter((p) => (p.book_currency || p.currency || 'USD').toUpperCase() === c).length;
  const most = [...currencies].sort((a, b) => count(b) - count(a) || a.localeCompare(b))[0];
  const cur = chosen && currencies.includes(chosen) ? chosen : most;
  if (!cur) return null;
  return (
    <>
      {currencies.length > 1 && (
        <form className="params" aria-label={t('overview.alloc.currencyForm')} onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="allocation-currency">
            {t('overview.alloc.positionsIn')}
            <select id="allocation-currency" value={cur} onChange={(e) => setChosen(e.target.value)}>
              {currencies.map((c) => <option key={c}>{c}</option>)}
            </select>
          </label>
        </form>
      )}
      <div className="donuts">
        {KEYS.map(({ key, title, by }) => {
          if (key === 'currency' && currencies.length > 1) {
            return (
              <div key={key} data-testid={`allocation-${key}`}>
                <h3>{t(title)}</h3>
                <table className="list" aria-label={t('overview.alloc.byCurrency')}>
                  <thead><tr><th>{t('common.currency')}</th><th className="num">{t('overview.alloc.netMv')}</th></tr></thead>
                  <tbody>
                    {byCurrency.flatMap((a) => [...a.drawn, ...a.other].map((g) => (
                      // A position currency's net market value, in the reporting currency of its books.
                      <tr key={`${a.currency}-${g.name}`} data-currency={a.currency} data-group={g.name}>
                        <td>{g.name}</td>
                        <td className="num">{fmt.money(g.amount, a.currency)}</td>
                      </tr>
                    )))}
                  </tbody>
                </table>
                <p className="muted small">{t('overview.alloc.currencies', { count: currencies.length })}</p>
              </div>
            );
          }
          const a = allocation(positions, key, t).find((x) => x.currency === cur);
          if (!a) return null;
          return (
            <div key={key} data-testid={`allocation-${key}`}>
              <h3>{t(title)}</h3>
              {a.drawn.length > 0 ? (
                <Chart
                  label={t('overview.alloc.chart', { currency: cur, by: t(by), groups: a.drawn.map((g) => `${g.name} ${fmt.money(g.amount, cur)}`).join(', ') })}
                  height={240}
                  option={{
                    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number; percent: number }) => tip`${p.name}: ${fmt.money(p.value, cur)} (${fmt.pct(p.percent / 100, 1)})` },
                    series: [{ type: 'pie', radius: ['45%', '70%'], label: { show: a.drawn.length <= 8 }, data: a.drawn.map((g) => ({ name: g.name, value: g.amount })) }],
                  }}
                />
              ) : (
                <p className="muted">{t('overview.alloc.nothing')}</p>
              )}
              {a.other.length > 0 && (
                <p className="muted small">
                  {t('overview.alloc.short', { list: a.other.map((g) => `${g.name} ${fmt.money(g.amount, cur)}`).join('; ') })}
                </p>
              )}
            </div>
          );
        })}
      </div>
    </>
  );
}
