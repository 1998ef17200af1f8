// Net worth over time: the chart (stacked by asset class where the snapshots recorded it, else the
// net worth line of a replay), the table of points with the API's change and growth, and the date
// range controls (from/to in the URL).
import type { NetworthResult } from '../../api/types';
import { setQuery } from '../../app/router';
import { useSession } from '../../app/session';
import { Chart } from '../../components/Chart';

export function RangeControls({ query, fromName = 'from', toName = 'to', toLabel = 'to' }: { query: URLSearchParams; fromName?: string; toName?: string; toLabel?: string }) {
  return (
    <form className="params" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor="range-from">
        from
        <input id="range-from" type="date" value={query.get(fromName) ?? ''} onChange={(e) => setQuery({ [fromName]: e.target.value || null })} />
      </label>
      <label htmlFor="range-to">
        {toLabel}
        <input id="range-to" type="date" value={query.get(toName) ?? ''} onChange={(e) => setQuery({ [toName]: e.target.value || null })} />
      </label>
    </form>
  );
}

export function NetworthChart({ result, label }: { result: NetworthResult; label: string }) {
  const classes = [...new Set(result.points.flatMap((p) => Object.keys(p.asset_classes ?? {})))].sort();
  const series = [
    ...classes.map((c) => ({
      name: c,
      type: 'line',
      stack: 'classes',
      areaStyle: { opacity: 0.35 },
      symbol: 'none',
      data: result.points.map((p) => [p.date, p.asset_classes?.[c] ?? null]),
    })),
    { name: 'net worth', type: 'line', data: result.points.map((p) => [p.date, p.net_worth]), lineStyle: { width: 2 } },
  ];
  return (
    <Chart
      label={`${label} (${result.source})`}
      option={{ tooltip: { trigger: 'axis' }, legend: {}, xAxis: { type: 'time' }, yAxis: { type: 'value', scale: true }, series }}
    />
  );
}

export function NetworthTable({ result }: { result: NetworthResult }) {
  const { fmt } = useSession();
  const classes = [...new Set(result.points.flatMap((p) => Object.keys(p.asset_classes ?? {})))].sort();
  const c2 = (x: number | null | undefined) => fmt.num(x, 2);
  return (
    <>
      <p className="muted">
        Source: {result.source === 'snapshots' ? 'recorded snapshots' : 'replayed from the transactions and daily closes (no snapshot in the range)'}.
        {result.totals.annualized_growth !== null && <> Annualized growth {fmt.pct(result.totals.annualized_growth)} (deposits and withdrawals included).</>}
      </p>
      {result.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
      <div className="scroller" tabIndex={0} role="region" aria-label="Net worth points (scrollable)">
        <table className="list" aria-label="Net worth points">
          <thead>
            <tr>
              <th>Date</th><th className="num">Net worth</th>
              {classes.map((c) => <th key={c} className="num">{c}</th>)}
              <th className="num">Cash</th><th className="num">Unrealized</th><th className="num">Change</th><th className="num">Growth</th>
            </tr>
          </thead>
          <tbody>
            {result.points.map((p) => (
              <tr key={p.date} data-date={p.date}>
                <td>{p.date}</td>
                <td className="num" data-field="net_worth">{c2(p.net_worth)}</td>
                {classes.map((c) => <td key={c} className="num">{c2(p.asset_classes?.[c])}</td>)}
                <td className="num">{c2(p.cash)}</td>
                <td className="num">{c2(p.unrealized)}</td>
                <td className="num">{c2(p.change)}</td>
                <td className="num">{fmt.pct(p.growth)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
