// The dashboard's health checks (POST …/health, docs/health.md): the nine checks a portfolio review
// runs by hand, each with its status in words (the badge's colour is a second cue, never the only
// one), the figure behind it, the limit it was held to, what it is of and the positions that make
// it; above them, how many checks warn and alert, and what the weights are of.
import { useSession } from '../../app/session';
import { labelOf } from '../../app/labels';
import { healthFigure, healthSummary, statusClass, type BookHealth, type HealthCheck } from './health';

// What a check is of: the server's subject (a symbol, a sector, a currency), or for the two
// checks measured in days, the days they were measured with, in the page's language.
function subjectOf(t: ReturnType<typeof useSession>['t'], c: HealthCheck, health: BookHealth): string {
  if (c.id === 'stale_prices') return t('dash.health.olderThan', { days: health.stale_days });
  if (c.id === 'expiring') return t('dash.health.within', { days: health.expiry_days });
  return c.subject;
}

function CheckRow({ c, health }: { c: HealthCheck; health: BookHealth }) {
  const { fmt, t } = useSession();
  return (
    <tr data-check={c.id} data-status={c.status}>
      <th scope="row">{labelOf(t, 'healthCheck', c.id)}</th>
      <td data-field="status"><span className={statusClass(c.status)}>{labelOf(t, 'healthStatus', c.status)}</span></td>
      <td className="num" data-field="figure">{healthFigure(fmt, c, c.figure)}</td>
      <td className="num" data-field="limit">{healthFigure(fmt, c, c.limit)}</td>
      <td data-field="subject">{subjectOf(t, c, health)}</td>
      <td data-field="positions">{c.positions.join(', ')}</td>
    </tr>
  );
}

export function HealthView({ health }: { health: BookHealth }) {
  const { fmt, t } = useSession();
  return (
    <>
      <p data-testid="health-summary">
        <strong>{healthSummary(t, health)}</strong>{' '}
        <span className="muted">
          {t('dash.health.basis', {
            gross: fmt.money(health.gross_amount, health.currency),
            date: fmt.date(health.as_of),
            valued: fmt.num(health.positions_valued, 0),
            positions: fmt.num(health.positions_valued + health.positions_failed, 0),
          })}
        </span>
      </p>
      <table className="list" aria-label={t('dash.health.table')} data-testid="health-checks">
        <thead>
          <tr>
            <th>{t('dash.health.check')}</th>
            <th>{t('common.status')}</th>
            <th className="num">{t('dash.health.figure')}</th>
            <th className="num">{t('dash.health.limit')}</th>
            <th>{t('dash.health.subject')}</th>
            <th>{t('dash.health.positions')}</th>
          </tr>
        </thead>
        <tbody>
          {health.checks.map((c) => <CheckRow key={c.id} c={c} health={health} />)}
        </tbody>
      </table>
    </>
  );
}
