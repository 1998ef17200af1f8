// API data as a key/value table (keyValues.ts): a job's result, an audit row's details. The raw
// JSON stays one click away, behind "Show JSON".
import { useSession } from '../app/session';
import { flattenKv, kvKey, kvValue, MAX_ITEMS } from './keyValues';

export function KeyValues({ value, label, max = MAX_ITEMS, json = true }: { value: unknown; label: string; max?: number; json?: boolean }) {
  const { fmt, t } = useSession();
  const rows = flattenKv(value, max);
  return (
    <div className="kv-block" data-testid="key-values">
      {rows.length === 0 ? (
        <span className="muted">{t('common.none')}</span>
      ) : (
        <table className="list kv" aria-label={label}>
          <tbody>
            {rows.map((r, i) => {
              const key = r.path.map((s) => ('field' in s ? s.field : s.item)).join('.');
              const v = kvValue(fmt, t, r);
              return (
                <tr key={i} data-key={key}>
                  <th scope="row">{kvKey(t, r.path) || t('kv.table')}</th>
                  <td className={typeof r.value === 'number' && !r.more ? 'num' : undefined}>{v}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {json && (
        <details className="json">
          <summary>{t('kv.showJson')}</summary>
          <pre className="result" tabIndex={0}>{JSON.stringify(value, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}
