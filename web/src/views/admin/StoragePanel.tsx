// Administration: what the tenant keeps in the store (GET /api/v1/storage; managers and
// administrators). The tenant's total, the bounds that keep it in check in words (how long jobs
// and assistant conversations are kept, the per-user limits, the ALM budgets, how long the batch
// snapshots' reports are kept; 0 is "kept" or "no limit"), and a table of the areas — area in words, owner (the tenant, a user, or all tenants for
// the shared market data, set apart below the tenant's rows and not in the total), items, rows and
// size — in the order the server sends them.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useSession } from '../../app/session';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { TableScroll } from '../../components/TableScroll';
import { areaWords, boundsWords, formatBytes, ownerWords, type StorageArea, type StorageUsage } from './storage';

export function StoragePanel() {
  const { t, fmt } = useSession();
  const usage = useQuery({ queryKey: ['storage'], queryFn: () => api<StorageUsage>('GET', '/api/v1/storage') });
  const u = usage.data;
  const own = u?.areas.filter((a) => !a.shared) ?? [];
  const shared = u?.areas.filter((a) => a.shared) ?? [];
  const caption = t('storage.areas');
  return (
    <>
      <p className="muted">{t('storage.help')}</p>
      {usage.isLoading && <Loading what={t('storage.loading')} />}
      <ErrorBox error={usage.error} />
      {u && (
        <>
          <section aria-label={t('storage.totalOf', { tenant: u.tenant })} data-testid="storage-summary">
            <p>
              {t('storage.total')}: <strong data-field="total" data-bytes={u.bytes}>{formatBytes(fmt.locale, u.bytes)}</strong>
            </p>
            <p className="muted small">{t('storage.totalNote')}</p>
            <h2>{t('storage.bounds')}</h2>
            <ul aria-label={t('storage.bounds')} data-testid="storage-bounds">
              {boundsWords(t, fmt.locale, u).map((b) => <li key={b}>{b}</li>)}
            </ul>
          </section>
          {u.areas.length === 0 && <Empty>{t('storage.none')}</Empty>}
          {u.areas.length > 0 && (
            <TableScroll label={caption}>
              <table className="list" data-testid="storage-areas">
                <caption>{caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('storage.area')}</th><th scope="col">{t('storage.owner')}</th>
                    <th scope="col" className="num">{t('storage.items')}</th><th scope="col" className="num">{t('storage.rows')}</th>
                    <th scope="col" className="num">{t('storage.size')}</th>
                  </tr>
                </thead>
                <tbody>{own.map((a) => <AreaRow key={`${a.area}/${a.owner}`} row={a} />)}</tbody>
                {shared.length > 0 && (
                  <tbody data-testid="storage-shared">
                    <tr>
                      <th scope="colgroup" colSpan={5} style={{ borderTop: '2px solid var(--line)', paddingTop: 12 }}>{t('storage.sharedRows')}</th>
                    </tr>
                    {shared.map((a) => <AreaRow key={`${a.area}/${a.owner}`} row={a} />)}
                  </tbody>
                )}
              </table>
            </TableScroll>
          )}
        </>
      )}
    </>
  );
}

function AreaRow({ row }: { row: StorageArea }) {
  const { t, fmt } = useSession();
  return (
    <tr data-area={row.area} data-owner={row.owner} data-shared={row.shared ? 'true' : undefined}>
      <th scope="row" data-field="area" style={{ fontWeight: 'normal' }}>{areaWords(t, row.area)}</th>
      <td data-field="owner">{ownerWords(t, row)}</td>
      <td className="num" data-field="items">{fmt.num(row.items, 0)}</td>
      <td className="num" data-field="rows">{fmt.num(row.rows, 0)}</td>
      <td className="num" data-field="bytes" data-bytes={row.bytes} title={`${fmt.num(row.bytes, 0)} B`}>{formatBytes(fmt.locale, row.bytes)}</td>
    </tr>
  );
}
