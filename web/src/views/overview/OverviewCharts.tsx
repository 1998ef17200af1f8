// The overview's charts (ECharts through Chart.tsx), in a chunk of their own that the overview loads
// after its figures: the net worth history per currency and the allocation donuts.
import { useState } from 'react';
import { useSession } from '../../app/session';
import { tip } from '../../app/text';
import { Chart } from '../../components/Chart';
import { allocation, historyByCurrency, type AllocationKey, type Series } from './summary';

// One chart per currency: a line per portfolio and for the ledger, and their total where every one
// of them has a point at the same date.
export default function HistoryCharts({ series }: { series: Series[] }) {
  const { fmt } = useSession();
  const { groups, unsummed } = historyByCurrency(series);
  if (groups.length === 0 && unsummed.length === 0) return null;
  return (
    <>
      {groups.map((g) => (
        <figure key={g.currency} className="overview-figure" data-testid="history-chart" data-currency={g.currency}>
          <Chart
            label={`Net worth history in ${g.currency}: ${g.series.map((s) => s.name).join(', ')}${g.total.length ? ', and their total' : ''}`}
            height={300}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { type: 'scroll', top: 0 },
              grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
              xAxis: { type: 'time' },
              yAxis: { type: 'value', scale: true, name: g.currency, axisLabel: { formatter: (v: number) => fmt.money(v) } },
              series: [
                ...g.series.map((s) => ({ name: s.name, type: 'line', showSymbol: s.points.length < 40, data: s.points })),
                ...(g.total.length ? [{ name: 'Total', type: 'line', lineStyle: { width: 3 }, showSymbol: g.total.length < 40, data: g.total }] : []),
              ],
            }}
          />
          <figcaption className="muted small">
            Net worth in {g.currency} over time: each portfolio's snapshots (daily batch) and the ledger's net worth
            {g.total.length ? '; the total only at dates on which every line has a value' : ''}.
          </figcaption>
        </figure>
      ))}
      {unsummed.length > 0 && (
        <p className="muted">Not drawn: {unsummed.map((s) => s.name).join(', ')} (positions in more than one currency, so no one currency to draw it in).</p>
      )}
    </>
  );
}

const KEYS: { key: AllocationKey; title: string }[] = [
  { key: 'type', title: 'By asset type' },
  { key: 'sector', title: 'By sector' },
  { key: 'currency', title: 'By currency' },
];

interface Position {
  currency: string;
  market_value: number | null | undefined;
  type: string;
  sector?: string | null;
}

// Donuts of the positions' net market value by asset type, sector and currency, in one currency at
// a time (chosen when there are several: shares of one whole are never taken across currencies).
export function AllocationCharts({ positions }: { positions: Position[] }) {
  const { fmt } = useSession();
  const byCurrency = allocation(positions, 'currency');
  const currencies = byCurrency.map((a) => a.currency);
  const [chosen, setChosen] = useState<string | null>(null);
  // At first the currency most positions are in (a count, not an amount: currencies are not compared).
  const count = (c: string) => positions.filter((p) => (p.currency || 'USD').toUpperCase() === c).length;
  const most = [...currencies].sort((a, b) => count(b) - count(a) || a.localeCompare(b))[0];
  const cur = chosen && currencies.includes(chosen) ? chosen : most;
  if (!cur) return null;
  return (
    <>
      {currencies.length > 1 && (
        <form className="params" aria-label="Currency of the allocation" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="allocation-currency">
            Positions in
            <select id="allocation-currency" value={cur} onChange={(e) => setChosen(e.target.value)}>
              {currencies.map((c) => <option key={c}>{c}</option>)}
            </select>
          </label>
        </form>
      )}
      <div className="donuts">
        {KEYS.map(({ key, title }) => {
          if (key === 'currency' && currencies.length > 1) {
            return (
              <div key={key} data-testid={`allocation-${key}`}>
                <h3>{title}</h3>
                <table className="list" aria-label="Market value by currency">
                  <thead><tr><th>Currency</th><th className="num">Net market value</th></tr></thead>
                  <tbody>
                    {byCurrency.map((a) => (
                      <tr key={a.currency} data-currency={a.currency}>
                        <td>{a.currency}</td>
                        <td className="num">{fmt.money(a.drawn[0]?.amount ?? a.other[0]?.amount, a.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="muted small">In {currencies.length} currencies: keel has no FX conversion, so they are not drawn as shares of one whole.</p>
              </div>
            );
          }
          const a = allocation(positions, key).find((x) => x.currency === cur);
          if (!a) return null;
          return (
            <div key={key} data-testid={`allocation-${key}`}>
              <h3>{title}</h3>
              {a.drawn.length > 0 ? (
                <Chart
                  label={`Net market value of the positions in ${cur} ${title.toLowerCase()}: ${a.drawn.map((g) => `${g.name} ${fmt.money(g.amount, cur)}`).join(', ')}`}
                  height={240}
                  option={{
                    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number; percent: number }) => tip`${p.name}: ${fmt.money(p.value, cur)} (${fmt.pct(p.percent / 100, 1)})` },
                    series: [{ type: 'pie', radius: ['45%', '70%'], label: { show: a.drawn.length <= 8 }, data: a.drawn.map((g) => ({ name: g.name, value: g.amount })) }],
                  }}
                />
              ) : (
                <p className="muted">Nothing with a positive net market value.</p>
              )}
              {a.other.length > 0 && (
                <p className="muted small">
                  Net short, not drawn: {a.other.map((g) => `${g.name} ${fmt.money(g.amount, cur)}`).join('; ')}.
                </p>
              )}
            </div>
          );
        })}
      </div>
    </>
  );
}
