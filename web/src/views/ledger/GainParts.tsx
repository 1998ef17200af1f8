// The performance tab's "Where the gain came from" (gain.ts): the period's gain in the result's
// currency split into price, income, fees and currency, each with its sign, in a table that is the
// chart's text alternative, and a small bar chart of the same amounts (loaded lazily).
import { useCallback, useMemo } from 'react';
import type { PerformanceResult } from '../../api/types';
import { useSession } from '../../app/session';
import { gainRows, makeSignedAmount, type GainKey } from './gain';
import GainChart from './GainChart';


export function GainSection({ p }: { p: PerformanceResult }) {
  const { fmt, t } = useSession();
  const signed = useMemo(() => makeSignedAmount(fmt.locale), [fmt.locale]);
  const format = useCallback((x: number) => signed(x, p.currency), [signed, p.currency]);
  const rows = useMemo(() => gainRows(p.gain), [p.gain]);
  const names: Record<GainKey, string> = {
    price: t('ledger.gain.price'),
    income: t('ledger.gain.income'),
    fees: t('ledger.gain.fees'),
    currency: t('ledger.gain.currency'),
    total: t('ledger.gain.total'),
  };
  const title = t('ledger.gain.title');
  return (
    <section data-testid="gain" aria-labelledby="gain-title">
      <h2 id="gain-title">{title}</h2>
      <p className="small muted">{t('ledger.gain.help', { currency: p.currency })}</p>
      <div className="grid2">
        <table className="list" aria-label={title}>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-part={r.key} className={r.key === 'total' ? 'total' : undefined}>
                <th scope="row">{names[r.key]}</th>
                <td className="num">{signed(r.amount, p.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div data-testid="gain-chart">
          <GainChart rows={rows} names={names} label={t('ledger.gain.chart', { currency: p.currency })} format={format} />
        </div>
      </div>
    </section>
  );
}
