// Net worth over time: the chart (stacked by asset class where the snapshots recorded it, else the
// net worth line of a replay), the table of points with the API's change and growth, and the date
// range controls (from/to in the URL).
import type { NetworthResult } from '../../api/types';
import { setQuery } from '../../app/router';
import { useSession } from '../../app/session';
import { spellOut } from '../../app/i18n';
import { Chart } from '../../components/Chart';
import { Hints } from '../../components/States';

export function RangeControls({ query, fromName = 'from', toName = 'to', toLabel }: { query: URLSearchParams; fromName?: string; toName?: string; toLabel?: string }) {
  const { t } = useSession();
  return (
    <form className="params" aria-label={t('common.dateRange')} onSubmit={(e) => e.preventDefault()}>
      <label htmlFor="range-from">
        {t('common.from')}
        <input id="range-from" type="date" value={query.get(fromName) ?? ''} onChange={(e) => setQuery({ [fromName]: e.target.value || null })} />
      </label>
      <label htmlFor="range-to">
        {toLabel ?? t('common.to')}
        <input id="range-to" type="date" value={query.get(toName) ?? ''} onChange={(e) => setQuery({ [toName]: e.target.value || null })} />
      </label>
    </form>
  );
}

// An asset class as the snapshots name it (equity, fixed_income…): its words.
export function assetClassLabel(t: ReturnType<typeof useSession>['t'], c: string): string {
  const k = `choice.class.${c}`;
  return t.has(k) ? t(k as Parameters<typeof t>[0] & `choice.class.${string}`) : spellOut(c);
}

export function NetworthChart({ result, label }: { result: NetworthResult; label: string }) {
  const { t } = useSession();
  const classes = [...new Set(result.points.flatMap((p) => Object.keys(p.asset_classes ?? {})))].sort();
  const series = [
    ...classes.map((c) => ({
      name: assetClassLabel(t, c),
      type: 'line',
      stack: 'classes',
      areaStyle: { opacity: 0.35 },
      symbol: 'none',
      data: result.points.map((p) => [p.date, p.asset_classes?.[c] ?? null]),
    })),
    { name: t('ledger.networthSeries'), type: 'line', data: result.points.map((p) => [p.date, p.net_worth]), lineStyle: { width: 2 } },
  ];
  return (
    <Chart
      label={`${label} (${t(result.source === 'snapshots' ? 'ledger.src.snapshots' : 'ledger.src.replay')})`}
      option={{ tooltip: { trigger: 'axis' }, legend: {}, xAxis: { type: 'time' }, yAxis: { type: 'value', scale: true }, series }}
    />
  );
}

export function NetworthTable({ result }: { result: NetworthResult }) {
  const { fmt, t } = useSession();
  const classes = [...new Set(result.points.flatMap((p) => Object.keys(p.asset_classes ?? {})))].sort();
  const c2 = (x: number | null | undefined) => fmt.num(x, 2);
  return (
    <>
      <p className="muted">
        {t(result.source === 'snapshots' ? 'ledger.sourceSnapshots' : 'ledger.sourceReplay')}
        {result.totals.annualized_growth !== null && <> {t('ledger.growth', { growth: fmt.pct(result.totals.annualized_growth) })}</>}
      </p>
      {result.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
      <Hints messages={result.warnings} />
      <div className="scroller" tabIndex={0} role="region" aria-label={t('table.scrollable', { label: t('ledger.points') })}>
        <table className="list" aria-label={t('ledger.points')}>
          <thead>
            <tr>
              <th>{t('common.date')}</th><th className="num">{t('ledger.tab.networth')}</th>
              {classes.map((c) => <th key={c} className="num">{assetClassLabel(t, c)}</th>)}
              <th className="num">{t('ledger.cash')}</th><th className="num">{t('ledger.unrealized')}</th><th className="num">{t('common.change')}</th><th className="num">{t('ledger.growthCol')}</th>
            </tr>
          </thead>
          <tbody>
            {result.points.map((p) => (
              <tr key={p.date} data-date={p.date}>
                <td>{fmt.date(p.date)}</td>
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
