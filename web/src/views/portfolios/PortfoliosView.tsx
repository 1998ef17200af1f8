// The portfolios of the tenant: value, 1-day P&L, VaR and zone of each one's newest snapshot (the
// list carries them); create one (then its positions are added in the positions editor), edit or
// import its positions, delete with confirmation.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { HistoryPoint, PortfolioPage, PortfolioRecord } from '../../api/types';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { Empty, ErrorBox, Loading } from '../../components/States';

function LastSnapshot({ point }: { point: HistoryPoint | null }) {
  const { fmt } = useSession();
  if (!point) return <td colSpan={5} className="muted">no snapshot yet (a batch run records one)</td>;
  return (
    <>
      <td className="num">{fmt.money(point.net_value_amount)}</td>
      <td className="num">{fmt.money(point.pnl_1d_amount)}</td>
      <td className="num">{fmt.money(point.var_amount)}</td>
      <td><Zone zone={point.backtest_zone} /></td>
      <td>{point.as_of}</td>
    </>
  );
}

export function Zone({ zone }: { zone: string | null | undefined }) {
  if (!zone) return <span className="muted">–</span>;
  return <span className={`zone zone-${zone}`}>{zone}</span>;
}

export function PortfoliosView() {
  const { can } = useSession();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['portfolios'], queryFn: () => api<PortfolioPage>('GET', '/api/v1/portfolios?limit=500') });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (n: string) => api<PortfolioRecord>('POST', '/api/v1/portfolios', { body: { name: n } }),
    onSuccess: (p) => {
      setName('');
      void qc.invalidateQueries({ queryKey: ['portfolios'] });
      navigate(`/portfolios/${seg(p.name)}/positions`);
    },
  });
  const del = useMutation({
    mutationFn: (n: string) => api('DELETE', `/api/v1/portfolios/${seg(n)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['portfolios'] }),
  });
  return (
    <section>
      <h1>Portfolios</h1>
      {can('manage_portfolios') && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) create.mutate(name.trim());
          }}
        >
          <label htmlFor="new-portfolio">New portfolio</label>
          <input id="new-portfolio" value={name} onChange={(e) => setName(e.target.value)} placeholder="name" />
          <button type="submit" disabled={create.isPending}>Create</button>
        </form>
      )}
      <ErrorBox error={create.error ?? del.error} />
      {list.isLoading && <Loading what="portfolios" />}
      <ErrorBox error={list.error} />
      {list.data && list.data.items.length === 0 && <Empty>No portfolios yet{can('manage_portfolios') ? ': create one above, then add its positions.' : '.'}</Empty>}
      {list.data && list.data.items.length > 0 && (
        <table className="list" aria-label="Portfolios">
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Positions</th>
              <th className="num">Net value</th>
              <th className="num">1-day P&amp;L</th>
              <th className="num">VaR</th>
              <th>Zone</th>
              <th>Snapshot</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`/portfolios/${seg(p.name)}`} onClick={(e) => { e.preventDefault(); navigate(`/portfolios/${seg(p.name)}`); }}>
                    {p.name}
                  </a>
                </td>
                <td className="num">{p.positions}</td>
                <LastSnapshot point={p.last_snapshot} />
                <td className="actions">
                  {can('import_positions') && (
                    <>
                      <button type="button" onClick={() => navigate(`/portfolios/${seg(p.name)}/positions`)}>Edit positions</button>
                      <button type="button" onClick={() => navigate(`/portfolios/${seg(p.name)}/import`)}>Import</button>
                    </>
                  )}
                  {can('manage_portfolios') && (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => {
                        if (window.confirm(`Delete portfolio ${p.name} and its ${p.positions} positions?`)) del.mutate(p.name);
                      }}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
