// The performance tab's comparison with a benchmark (GET …/performance?benchmark=, docs/ledger.md
// "Benchmarks") and its reporting currency (?reporting_currency=): the form that puts both in the
// URL, the cumulative return of the account and the benchmark, the measures side by side, the same
// flows invested in the benchmark, the excess return by month and by calendar year, the rolling
// twelve months, and the return in local currencies with the currency effect.
import { useEffect, useMemo, useState } from 'react';
import type { BenchmarkComparison, PerformanceResult } from '../../api/types';
import { setQuery } from '../../app/router';
import { useSession } from '../../app/session';
import { Chart } from '../../components/Chart';
import { excessByYear, makeAmount } from './income';

export function BenchmarkForm({ query }: { query: URLSearchParams }) {
  const { t } = useSession();
  const [benchmark, setBenchmark] = useState(query.get('benchmark') ?? '');
  const [currency, setCurrency] = useState(query.get('reporting_currency') ?? '');
  const urlBenchmark = query.get('benchmark') ?? '';
  const urlCurrency = query.get('reporting_currency') ?? '';
  useEffect(() => setBenchmark(urlBenchmark), [urlBenchmark]);
  useEffect(() => setCurrency(urlCurrency), [urlCurrency]);
  return (
    <form
      className="params"
      aria-label={t('ledger.bm.form')}
      onSubmit={(e) => {
        e.preventDefault();
        setQuery({ benchmark: benchmark.trim() || null, reporting_currency: currency.trim().toUpperCase() || null });
      }}
    >
      <label htmlFor="perf-benchmark">
        {t('ledger.bm.benchmark')}
        <input id="perf-benchmark" value={benchmark} placeholder="KO" aria-describedby="perf-benchmark-help" onChange={(e) => setBenchmark(e.target.value)} style={{ width: 160 }} />
      </label>
      <label htmlFor="perf-currency">
        {t('ledger.bm.currency')}
        <input id="perf-currency" value={currency} maxLength={3} placeholder="EUR" aria-describedby="perf-currency-help" onChange={(e) => setCurrency(e.target.value.toUpperCase())} style={{ width: 70 }} />
      </label>
      <div style={{ display: 'flex', gap: 8, alignItems: 'end' }}>
        <button type="submit" className="primary">{t('ledger.bm.apply')}</button>
        {(urlBenchmark || urlCurrency) && (
          <button type="button" onClick={() => setQuery({ benchmark: null, reporting_currency: null })}>{t('ledger.bm.clear')}</button>
        )}
      </div>
      <p className="muted small" style={{ flexBasis: '100%', margin: 0 }}>
        <span id="perf-benchmark-help">{t('ledger.bm.benchmark')}: {t('ledger.bm.benchmarkHelp')}.</span>{' '}
        <span id="perf-currency-help">{t('ledger.bm.currency')}: {t('ledger.bm.currencyHelp')}.</span>
      </p>
    </form>
  );
}

// The return in local currencies and the currency effect, when the API measured them (amounts in
// more than one currency).
export function FxKpis({ p }: { p: PerformanceResult }) {
  const { fmt, t } = useSession();
  if (p.twr_local === undefined && p.fx_effect === undefined) return null;
  return (
    <div className="grid2" data-testid="fx-returns">
      <div className="kpi" data-kpi="twr_local">
        <div className="kpi-label">{t('ledger.bm.local')}</div>
        <div className="kpi-value">{fmt.pct(p.twr_local)}</div>
        <p className="small">{t('ledger.bm.localHelp')}</p>
      </div>
      <div className="kpi" data-kpi="fx_effect">
        <div className="kpi-label">{t('ledger.bm.fx')}</div>
        <div className="kpi-value">{fmt.pct(p.fx_effect)}</div>
        <p className="small">{t('ledger.bm.fxHelp', { currency: p.currency })}</p>
      </div>
    </div>
  );
}

// The account's cumulative return (wealth index - 1) and, with a benchmark, the benchmark's, daily.
export function CumulativeChart({ p }: { p: PerformanceResult }) {
  const { fmt, t } = useSession();
  if (!p.series || p.series.length === 0) return null;
  const b = p.benchmark;
  const series: object[] = [
    { name: t('ledger.bm.account'), type: 'line', symbol: 'none', data: p.series.map((s) => [s.date, s.wealth_index === null ? null : s.wealth_index - 1]) },
  ];
  if (b) {
    series.push({
      name: b.benchmark, type: 'line', symbol: 'none', lineStyle: { type: 'dashed' },
      data: p.series.map((s) => [s.date, s.benchmark_index == null ? null : s.benchmark_index - 1]),
    });
  }
  return (
    <div data-testid="cumulative-chart"><Chart
      label={t('ledger.bm.cumulative')}
      height={280}
      option={{
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.pct(v as number) },
        legend: {},
        xAxis: { type: 'time' },
        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.pct(v, 0) }, name: t('ledger.bm.cumulative') },
        series,
      }}
    /></div>
  );
}

export function BenchmarkSection({ p }: { p: PerformanceResult }) {
  const { fmt, t } = useSession();
  const amount = useMemo(() => makeAmount(fmt.locale), [fmt.locale]);
  const b = p.benchmark;
  if (!b) return null;
  const money = (x: number | null | undefined) => amount(x, p.currency);
  const parts = b.components.map((c) => `${fmt.pct(c.weight, 0)} ${c.symbol}`).join(', ');
  // [key, words, account, benchmark, difference, format]
  type Row = [string, string, number | null | undefined, number | null | undefined, number | null | undefined, (x: number | null | undefined) => string];
  const pct = (x: number | null | undefined) => fmt.pct(x);
  const num = (x: number | null | undefined) => fmt.num(x);
  const rows: Row[] = [
    ['return', t('ledger.bm.return'), b.portfolio_return, b.benchmark_return, b.excess_return, pct],
    ['cagr', t('ledger.bm.cagr'), b.portfolio_cagr, b.benchmark_cagr, b.excess_cagr, pct],
    ['volatility', t('ledger.volatility'), p.volatility, b.benchmark_volatility, null, pct],
    ['max_drawdown', t('ledger.maxDrawdown'), p.max_drawdown.depth, b.benchmark_drawdown.depth, null, pct],
    ['tracking_error', t('ledger.bm.trackingError'), b.tracking_error, null, null, pct],
    ['information_ratio', t('ledger.bm.ir'), b.information_ratio, null, null, num],
    ['beta', t('ledger.bm.beta'), b.beta, null, null, num],
    ['alpha', t('ledger.bm.alpha'), b.alpha, null, null, pct],
    ['correlation', t('ledger.bm.correlation'), b.correlation, null, null, num],
    ['up_capture', t('ledger.bm.upCapture'), b.up_capture, null, null, num],
    ['down_capture', t('ledger.bm.downCapture'), b.down_capture, null, null, num],
  ];
  const blank = (x: number | null | undefined, f: Row[5]) => (x === null || x === undefined ? '' : f(x));
  return (
    <>
      <h2>{t('ledger.bm.measures', { benchmark: b.benchmark })}</h2>
      {b.components.length > 1 && <p className="muted small">{t('ledger.bm.components', { parts })}</p>}
      <table className="list" aria-label={t('ledger.bm.measures', { benchmark: b.benchmark })} data-testid="benchmark-measures">
        <thead>
          <tr><th>{t('ledger.bm.measure')}</th><th className="num">{t('ledger.bm.account')}</th><th className="num">{b.benchmark}</th><th className="num">{t('ledger.bm.difference')}</th></tr>
        </thead>
        <tbody>
          {rows.map(([key, words, a, bb, d, f]) => (
            <tr key={key} data-field={key}>
              <th scope="row">{words}</th>
              <td className="num" data-side="account">{f(a)}</td>
              <td className="num" data-side="benchmark">{blank(bb, f)}</td>
              <td className="num" data-side="difference">{blank(d, f)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('ledger.bm.sameFlows', { benchmark: b.benchmark })}</h2>
      <p className="muted small">{t('ledger.bm.sameFlowsHelp', { benchmark: b.benchmark })}</p>
      <table className="list" aria-label={t('ledger.bm.sameFlows', { benchmark: b.benchmark })} data-testid="same-flows">
        <thead>
          <tr><th>{t('ledger.bm.measure')}</th><th className="num">{t('ledger.bm.account')}</th><th className="num">{b.benchmark}</th><th className="num">{t('ledger.bm.difference')}</th></tr>
        </thead>
        <tbody>
          <tr data-field="end_value">
            <th scope="row">{t('ledger.bm.endValue')}</th>
            <td className="num" data-side="account">{money(b.same_flows.portfolio_end_value)}</td>
            <td className="num" data-side="benchmark">{money(b.same_flows.end_value)}</td>
            <td className="num" data-side="difference">{money(b.same_flows.difference)}</td>
          </tr>
          <tr data-field="xirr">
            <th scope="row">{t('ledger.bm.mwr')}</th>
            <td className="num" data-side="account">{p.xirr === null ? t('ledger.noSolution') : fmt.pct(p.xirr)}</td>
            <td className="num" data-side="benchmark">{b.same_flows.xirr === null ? t('ledger.noSolution') : fmt.pct(b.same_flows.xirr)}</td>
            <td />
          </tr>
        </tbody>
      </table>
      <ExcessTables b={b} />
      {b.rolling_12m.length > 0 && <h2>{t('ledger.bm.rolling')}</h2>}
      {b.rolling_12m.length > 0 && (
        <div data-testid="rolling-chart"><Chart
          label={t('ledger.bm.rolling')}
          height={240}
          option={{
            tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.pct(v as number) },
            legend: {},
            xAxis: { type: 'time' },
            yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.pct(v, 0) } },
            series: [
              { name: t('ledger.bm.account'), type: 'line', data: b.rolling_12m.map((w) => [w.end, w.portfolio_return]) },
              { name: b.benchmark, type: 'line', lineStyle: { type: 'dashed' }, data: b.rolling_12m.map((w) => [w.end, w.benchmark_return]) },
            ],
          }}
        /></div>
      )}
    </>
  );
}

function ExcessTables({ b }: { b: BenchmarkComparison }) {
  const { fmt, t } = useSession();
  const years = excessByYear(b.monthly);
  const monthNames = useMemo(() => {
    const f = new Intl.DateTimeFormat(fmt.locale, { month: 'short', timeZone: 'UTC' });
    return Array.from({ length: 12 }, (_, i) => f.format(new Date(Date.UTC(2001, i, 1))));
  }, [fmt.locale]);
  const sign = (x: number | null | undefined) => (x == null ? '' : x > 0 ? 'up' : x < 0 ? 'down' : '');
  const annual = new Map(b.annual.map((a) => [a.period, a]));
  return (
    <>
      <h2>{t('ledger.bm.monthly')}</h2>
      <table className="list excess" aria-label={t('ledger.bm.monthly')} data-testid="monthly-excess">
        <thead>
          <tr><th>{t('ledger.bm.yearCol')}</th>{monthNames.map((m) => <th key={m} className="num">{m}</th>)}<th className="num">{t('ledger.bm.yearCol')}</th></tr>
        </thead>
        <tbody>
          {years.map((y) => {
            const a = annual.get(y.year);
            return (
              <tr key={y.year} data-year={y.year}>
                <th scope="row">{y.year}</th>
                {y.months.map((m, i) => (
                  <td
                    key={i}
                    className={`num ${sign(m?.excess)}`}
                    data-period={m?.period}
                    title={m ? t('ledger.bm.monthCell', { account: fmt.pct(m.portfolio), benchmark: fmt.pct(m.benchmark) }) : undefined}
                  >
                    {m ? fmt.pct(m.excess, 1) : ''}
                  </td>
                ))}
                <td className={`num ${sign(a?.excess)}`} data-period={a?.period}>{a ? fmt.pct(a.excess, 1) : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>{t('ledger.bm.annual')}</h2>
      <table className="list" aria-label={t('ledger.bm.annual')} data-testid="annual-excess">
        <thead>
          <tr><th>{t('ledger.bm.yearCol')}</th><th className="num">{t('ledger.bm.account')}</th><th className="num">{b.benchmark}</th><th className="num">{t('ledger.bm.excess')}</th></tr>
        </thead>
        <tbody>
          {b.annual.map((a) => (
            <tr key={a.period} data-period={a.period}>
              <th scope="row">{a.period}</th>
              <td className="num" data-side="account">{fmt.pct(a.portfolio)}</td>
              <td className="num" data-side="benchmark">{fmt.pct(a.benchmark)}</td>
              <td className={`num ${sign(a.excess)}`} data-side="excess">{fmt.pct(a.excess)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
