// What the portfolio still lacks before its risk runs (GET /api/v1/portfolios/{id}/readiness): a
// line when nothing is missing, else the items grouped by kind, each with the command that gets
// it. The texts of `missing` and `how_to_fix` are the server's (a command is not translated).
import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import { useSession } from '../../app/session';
import { ErrorBox } from '../../components/States';
import { groupReadiness, namedSymbols, type ReadinessReport } from './readiness';

// The kinds the server names, with their labels; a kind this app does not know shows as sent.
const WHAT_LABELS = {
  positions: 'ready.what.positions',
  prices: 'ready.what.prices',
  option_inputs: 'ready.what.option_inputs',
  sectors: 'ready.what.sectors',
  factors: 'ready.what.factors',
  fx: 'ready.what.fx',
} as const;

export function ReadinessPanel({ portfolio }: { portfolio: string }) {
  const { t, fmt } = useSession();
  const ready = useQuery({
    queryKey: ['readiness', portfolio],
    queryFn: () => api<ReadinessReport>('GET', `/api/v1/portfolios/${seg(portfolio)}/readiness`),
  });
  if (ready.error) return <ErrorBox error={ready.error} />;
  const r = ready.data;
  if (!r) return null;
  const windowText = r.window_from && r.window_to ? t('ready.window', { from: fmt.date(r.window_from), to: fmt.date(r.window_to) }) : '';
  if (r.ready) {
    return (
      <p className="muted" data-testid="readiness">
        {t('ready.ok')} {windowText}
      </p>
    );
  }
  const groups = groupReadiness(r.items);
  const whatLabel = (what: string) =>
    what in WHAT_LABELS ? t(WHAT_LABELS[what as keyof typeof WHAT_LABELS]) : what;
  return (
    <details className="panel" data-testid="readiness">
      <summary>
        {t('ready.missing', { count: r.items.length })} {windowText}
      </summary>
      {groups.map((g) => (
        <div key={g.what}>
          <h3>
            {whatLabel(g.what)} <span className="muted">{namedSymbols(g.items).join(', ')}</span>
          </h3>
          <table className="list" aria-label={whatLabel(g.what)}>
            <thead>
              <tr>
                <th>{t('ready.symbol')}</th>
                <th>{t('ready.what')}</th>
                <th>{t('ready.fix')}</th>
              </tr>
            </thead>
            <tbody>
              {g.items.map((i, k) => (
                <tr key={k}>
                  <td>{i.symbol || '–'}</td>
                  <td style={{ whiteSpace: 'normal' }}>{i.missing}</td>
                  <td style={{ whiteSpace: 'normal' }}><code>{i.how_to_fix}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </details>
  );
}
