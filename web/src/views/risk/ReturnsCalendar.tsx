// The history tab's monthly returns calendar (monthlyReturns.ts): one row per year, January to
// December and the year, and with a benchmark a row of its own under each of the portfolio's.
// Every figure carries its sign besides its colour; a partial month or year is marked † with its
// span in the cell's title and a note under the table. The table scrolls sideways in its own box on
// a phone, the year column pinned.
import { useMemo } from 'react';
import { useSession } from '../../app/session';
import { TableScroll } from '../../components/TableScroll';
import { makeSignedPct, monthlyReturns, tone, type YearRow } from './monthlyReturns';
import type { PortfolioPerformance } from './performance';

// Two decimals in the title, one in the cell: the cell keeps the table narrow.
const CELL_DIGITS = 1;

export function ReturnsCalendar({ performance, benchmark }: { performance: PortfolioPerformance; benchmark: string | null }) {
  const { fmt, t } = useSession();
  const cal = useMemo(() => monthlyReturns(performance), [performance]);
  const names = useMemo(() => {
    const short = new Intl.DateTimeFormat(fmt.locale, { month: 'short', timeZone: 'UTC' });
    const long = new Intl.DateTimeFormat(fmt.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    return {
      short: Array.from({ length: 12 }, (_, i) => short.format(new Date(Date.UTC(2001, i, 1)))),
      long: (month: string) => long.format(new Date(`${month}-01T00:00:00Z`)),
    };
  }, [fmt.locale]);
  const signed = useMemo(() => ({ cell: makeSignedPct(fmt.locale, CELL_DIGITS), title: makeSignedPct(fmt.locale, 2) }), [fmt.locale]);
  if (cal.portfolio.length === 0) return null;
  // With a benchmark, its year under the portfolio's, each row naming its series.
  const compared = benchmark && cal.benchmark ? cal.benchmark : null;
  const own = new Map(cal.portfolio.map((y) => [y.year, y]));
  const bench = new Map((compared ?? []).map((y) => [y.year, y]));
  const years = [...new Set([...own.keys(), ...bench.keys()])].sort();
  const anyPartial = [...cal.portfolio, ...(compared ?? [])].some((y) => y.partial);
  const dagger = (
    <>
      <span aria-hidden="true">†</span>
      <span className="sr-only"> ({t('dash.perf.cal.partial')})</span>
    </>
  );

  const row = (year: string, y: YearRow | undefined, series: 'portfolio' | 'benchmark', name: string) => (
    <tr key={`${year}-${series}`} data-year={year} data-series={series}>
      <th scope="row">
        {year}
        {compared && <> <span className="muted small">{name}</span></>}
      </th>
      {Array.from({ length: 12 }, (_, i) => {
        const c = y?.months[i] ?? null;
        if (!c) return <td key={i} className="num" />;
        return (
          <td
            key={i}
            className={`num ${tone(c.value, CELL_DIGITS)}`}
            data-month={c.month}
            data-partial={c.partial || undefined}
            title={t('dash.perf.cal.cell', { period: names.long(c.month), value: signed.title(c.value), from: fmt.date(c.from), to: fmt.date(c.to), count: c.steps })}
          >
            {signed.cell(c.value)}
            {c.partial && dagger}
          </td>
        );
      })}
      {y ? (
        <td
          className={`num total ${tone(y.total, CELL_DIGITS)}`}
          data-field="year"
          data-partial={y.partial || undefined}
          title={t('dash.perf.cal.yearCell', { period: year, value: signed.title(y.total), count: y.months.filter((c) => c).length })}
        >
          {signed.cell(y.total)}
          {y.partial && dagger}
        </td>
      ) : (
        <td className="num" data-field="year" />
      )}
    </tr>
  );

  return (
    <section data-testid="monthly-returns" aria-labelledby="h-perf-cal">
      <h3 id="h-perf-cal">{t('dash.perf.cal.title')}</h3>
      <p className="muted small">{t('dash.perf.cal.note')}</p>
      <TableScroll label={t('dash.perf.cal.title')} testId="monthly-returns-scroll">
        <table className="list pinned monthly-returns" aria-label={t('dash.perf.cal.title')}>
          <thead>
            <tr>
              <th scope="col"><span className="sr-only">{t('dash.perf.cal.rowHeader')}</span></th>
              {names.short.map((m) => <th key={m} scope="col" className="num">{m}</th>)}
              <th scope="col" className="num">{t('dash.perf.cal.year')}</th>
            </tr>
          </thead>
          <tbody>
            {years.flatMap((year) => [
              row(year, own.get(year), 'portfolio', t('dash.perf.wealth')),
              ...(compared && benchmark ? [row(year, bench.get(year), 'benchmark', benchmark)] : []),
            ])}
          </tbody>
        </table>
      </TableScroll>
      {anyPartial && <p className="muted small" data-testid="monthly-returns-partial">{t('dash.perf.cal.partialNote')}</p>}
    </section>
  );
}
